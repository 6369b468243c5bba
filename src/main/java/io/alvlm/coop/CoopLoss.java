package io.alvlm.coop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.alvlm.data.EngineScalar;

/** CoOp's objective as NDArray functions, shared by the single-step API and {@link TrainingRun}. */
final class CoopLoss {
  private CoopLoss() {}

  /**
   * {@code logitScale · cos(image, class text)}, {@code [images, classes]}, for L2-normalised
   * {@code images} ({@code [images, projection]}) and context {@code ctx}; differentiable in ctx.
   * SigLIP's logits add {@code logit_bias}; it is left out here because one number added to every
   * class changes neither the softmax over classes, nor the cross-entropy, nor its gradient.
   */
  static NDArray logits(NDManager m, PromptLearner learner, NDArray ctx, NDArray images, float logitScale) {
    NDArray text = learner.classFeatures(m, ctx);
    NDArray textN = text.div(text.norm(new int[] {1}, true));
    return EngineScalar.times(images.matMul(textN.transpose()), logitScale);
  }

  /** Mean cross-entropy of {@code logits} against class indices {@code labels} ({@code [images]}, int32). */
  static NDArray crossEntropy(NDManager m, NDArray logits, NDArray labels) {
    long c = logits.getShape().get(1);
    NDArray picked = logits.logSoftmax(1).mul(labels.oneHot((int) c)).sum().neg();
    return EngineScalar.dividedBy(picked, logits.getShape().get(0));
  }
}
