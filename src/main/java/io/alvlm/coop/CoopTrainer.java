package io.alvlm.coop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.EngineScalar;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains CoOp context vectors on image features: cross-entropy of
 * {@code logitScale · cos(image, class text)} over all classes, gradients by DJL autograd through
 * the frozen text tower, SGD with momentum and weight decay (PyTorch semantics) applied in Java to
 * the small context array, learning rate per epoch from {@link CoopConfig#learningRate}.
 *
 * <p>Every step runs in its own scoped manager with its own {@link GradientCollector}, and the
 * context is a fresh leaf array each step, so no gradient accumulates and nothing leaks. Not
 * thread-safe: one trainer per thread, and not concurrently with other calls on the same model.
 */
public final class CoopTrainer {
  private final ClipModel clip;
  private final CoopConfig cfg;

  public CoopTrainer(ClipModel clip, CoopConfig cfg) {
    this.clip = clip;
    this.cfg = cfg;
  }

  public CoopConfig config() {
    return cfg;
  }

  /** Loss of one batch, its gradient with respect to the context, and how many it classified right. */
  public record Step(double loss, float[] gradient, int correct) {}

  /** One forward and backward pass; {@code features} must be L2-normalised image features. */
  public Step step(PromptLearner learner, float[] context, float[][] features, int[] labels) {
    int b = features.length;
    int c = learner.classNames().size();
    try (NDManager m = clip.newScope(); NDScope scope = new NDScope();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray ctx = m.create(context, new Shape(learner.contextRows(), learner.width()));
      ctx.setRequiresGradient(true);
      NDArray logits = logits(m, learner, ctx, features);
      NDArray loss = loss(m, logits, labels);
      gc.backward(loss);
      float[] grad = ctx.getGradient().toFloatArray();
      float[] l = logits.toFloatArray();
      int correct = 0;
      for (int i = 0; i < b; i++) {
        if (argmax(l, i * c, c) == labels[i]) correct++;
      }
      return new Step(loss.getFloat(), grad, correct);
    }
  }

  /** Mean cross-entropy of {@code context} on L2-normalised {@code features}, without gradients. */
  public double loss(PromptLearner learner, float[] context, float[][] features, int[] labels) {
    try (NDManager m = clip.newScope(); NDScope scope = new NDScope()) {
      NDArray ctx = m.create(context, new Shape(learner.contextRows(), learner.width()));
      return loss(m, logits(m, learner, ctx, features), labels).getFloat();
    }
  }

  /** {@code logitScale · cos(image, class text)}, {@code [images, classes]}. */
  private NDArray logits(NDManager m, PromptLearner learner, NDArray ctx, float[][] features) {
    NDArray text = learner.classFeatures(m, ctx);
    NDArray textN = text.div(text.norm(new int[] {1}, true));
    NDArray image = m.create(Features.flatten(features), new Shape(features.length, features[0].length));
    return EngineScalar.times(image.matMul(textN.transpose()), clip.logitScale());
  }

  private static NDArray loss(NDManager m, NDArray logits, int[] labels) {
    long c = logits.getShape().get(1);
    NDArray picked = logits.logSoftmax(1).mul(m.create(labels).oneHot((int) c)).sum().neg();
    return EngineScalar.dividedBy(picked, labels.length);
  }

  /** Trains on one feature row per labelled image (no augmented views). */
  public PromptModel train(float[][] features, int[] labels, List<String> classNames) {
    return train(features, labels, classNames, () -> false);
  }

  /** As {@link #train(float[][], int[], List)}, stopping at the first step after {@code cancelled} turns true. */
  public PromptModel train(float[][] features, int[] labels, List<String> classNames, BooleanSupplier cancelled) {
    float[][][] views = new float[features.length][][];
    for (int i = 0; i < features.length; i++) views[i] = new float[][] {features[i]};
    return train(views, labels, classNames, cancelled);
  }

  /**
   * Trains on {@code views[i]}: one or more feature rows (augmented views) of labelled image i,
   * one drawn at random each epoch. Features need not be normalised. Returns the model with
   * version 0 and name "coop"; the publisher stamps its own with {@link PromptModel#withVersion}.
   */
  public PromptModel train(float[][][] views, int[] labels, List<String> classNames) {
    return train(views, labels, classNames, () -> false);
  }

  /**
   * As {@link #train(float[][][], int[], List)}; {@code cancelled} is asked before every step, and
   * a true answer ends the training with a {@link CancellationException} (no model).
   */
  public PromptModel train(float[][][] views, int[] labels, List<String> classNames, BooleanSupplier cancelled) {
    int n = views.length;
    if (n == 0 || labels.length != n) {
      throw new IllegalArgumentException(n + " images but " + labels.length + " labels; need one label per image");
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not a class index in [0, "
            + classNames.size() + ")");
      }
    }
    long start = System.nanoTime();
    String inputs = TrainingCheck.inputsHash(views, labels, classNames, cfg);
    float[][][] normalised = new float[n][][];
    for (int i = 0; i < n; i++) {
      normalised[i] = new float[views[i].length][];
      for (int v = 0; v < views[i].length; v++) normalised[i][v] = Features.normalise(views[i][v]);
    }
    PromptLearner learner = new PromptLearner(clip, classNames, cfg);
    float[] ctx = learner.initialContext();
    float[][] firstViews = new float[n][];
    for (int i = 0; i < n; i++) firstViews[i] = normalised[i][0];
    double initialLoss = loss(learner, ctx, firstViews, labels);
    Sgd sgd = new Sgd(cfg.momentum(), cfg.weightDecay());
    Random rnd = new Random(cfg.seed());
    int batch = Math.min(cfg.batchSize(), n);
    int batches = n / batch;
    double firstLoss = Double.NaN;
    double lastLoss = Double.NaN;
    double lastAccuracy = Double.NaN;
    int steps = 0;
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      double lr = cfg.learningRate(epoch);
      int[] order = shuffled(n, rnd);
      double lossSum = 0;
      int correct = 0;
      for (int k = 0; k < batches; k++) {
        float[][] x = new float[batch][];
        int[] y = new int[batch];
        for (int j = 0; j < batch; j++) {
          int i = order[k * batch + j];
          x[j] = normalised[i][normalised[i].length == 1 ? 0 : rnd.nextInt(normalised[i].length)];
          y[j] = labels[i];
        }
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("training cancelled at epoch " + epoch + ", step " + steps + " of "
              + cfg.epochs() * batches + " (inputs sha256 " + inputs + ")");
        }
        Step s = step(learner, ctx, x, y);
        if (!Double.isFinite(s.loss())) {
          throw new IllegalStateException("training diverged: loss " + s.loss() + " at epoch " + epoch + ", step "
              + steps + " (lr " + lr + ", max |ctx| " + maxAbs(ctx) + ", max |grad| " + maxAbs(s.gradient())
              + "; inputs sha256 " + inputs + "); lower the learning rate");
        }
        sgd.step(ctx, s.gradient(), lr);
        lossSum += s.loss();
        correct += s.correct();
        steps++;
      }
      lastLoss = lossSum / batches;
      lastAccuracy = correct / (double) (batches * batch);
      if (epoch == 0) firstLoss = lastLoss;
    }
    double finalLoss = loss(learner, ctx, firstViews, labels);
    float[][] text = learner.normalisedClassFeatures(ctx);
    TrainingCheck.verify(ctx, text, initialLoss, finalLoss, steps, inputs);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", lastLoss);
    metrics.put("loss_first_epoch", firstLoss);
    metrics.put("train_loss_before", initialLoss);
    metrics.put("train_loss_after", finalLoss);
    metrics.put("train_accuracy", lastAccuracy);
    metrics.put("epochs", (double) cfg.epochs());
    metrics.put("steps", (double) steps);
    metrics.put("labels", (double) n);
    metrics.put("seconds", (System.nanoTime() - start) / 1e9);
    metrics.values().removeIf(v -> v.isNaN());
    return new PromptModel("coop", 0, clip.modelId(), classNames, learner.nCtx(), learner.width(),
        cfg.classSpecific(), ctx, clip.projectionDim(), Features.flatten(text), clip.logitScale(), metrics,
        Instant.now());
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float x : v) m = Math.max(m, Math.abs(x));
    return m;
  }

  static int argmax(float[] v, int from, int len) {
    int best = 0;
    for (int j = 1; j < len; j++) {
      if (v[from + j] > v[from + best]) best = j;
    }
    return best;
  }
}
