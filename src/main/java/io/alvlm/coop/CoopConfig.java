package io.alvlm.coop;

/**
 * CoOp's options (Zhou et al., "Learning to Prompt for Vision-Language Models"), with the paper's
 * defaults in {@link #defaults()}.
 *
 * @param nCtx context vectors per prompt; ignored when {@code ctxInit} is set (its token count wins)
 * @param ctxInit words whose token embeddings initialise the context ("a photo of a"), or blank for
 *     random N(0, 0.02²) initialisation
 * @param classSpecific one context per class (CSC) instead of one shared context
 * @param position where the class name goes relative to the context
 * @param epochs training epochs (paper: 200 for 16 shots)
 * @param batchSize images per SGD step; the last partial batch is dropped when there are at least
 *     this many images, as CoOp's loader does
 * @param lr base learning rate, cosine-annealed over {@code epochs} after the warm-up
 * @param momentum SGD momentum (PyTorch semantics, no dampening)
 * @param weightDecay L2 weight decay added to the gradient
 * @param warmupEpochs epochs at constant {@code warmupLr} before the cosine schedule
 * @param warmupLr the constant warm-up learning rate (1e-5)
 * @param viewsPerImage augmented views per labelled image precomputed by {@link AugmentedViews}; 0 for
 *     plain features (used by callers that compute features, not by the trainer itself)
 * @param seed seeds initialisation, shuffling and view sampling
 * @param cutAfterEndOfText run the text tower only up to the last end-of-text token (same result, faster)
 */
public record CoopConfig(int nCtx, String ctxInit, boolean classSpecific, ClassPosition position, int epochs,
    int batchSize, double lr, double momentum, double weightDecay, int warmupEpochs, double warmupLr,
    int viewsPerImage, long seed, boolean cutAfterEndOfText) {

  /** Where the class-name tokens sit in the prompt. */
  public enum ClassPosition {
    /** {@code [start] ctx_1 … ctx_n name . [end]} (CoOp's default). */
    END,
    /** {@code [start] ctx_1 … ctx_n/2 name ctx_n/2+1 … ctx_n . [end]}. */
    MIDDLE,
    /** {@code [start] name ctx_1 … ctx_n . [end]}. */
    FRONT
  }

  public CoopConfig {
    if (ctxInit == null) ctxInit = "";
    if (ctxInit.isBlank() && nCtx <= 0) throw new IllegalArgumentException("nCtx must be positive, got " + nCtx);
    if (epochs < 0 || batchSize <= 0 || warmupEpochs < 0 || viewsPerImage < 0) {
      throw new IllegalArgumentException("epochs, warmupEpochs and viewsPerImage must be ≥ 0 and batchSize > 0");
    }
  }

  /** The words CoOp initialises its context from in the paper. */
  public static final String PAPER_CTX_INIT = "a photo of a";

  /** The paper's setting: "a photo of a" (4 vectors), shared, class at the end, 200 epochs, batch 32. */
  public static CoopConfig defaults() {
    return new CoopConfig(4, PAPER_CTX_INIT, false, ClassPosition.END, 200, 32, 0.002, 0.9, 5e-4, 1, 1e-5, 0, 0,
        true);
  }

  // one with-method per component, so callers change what they mean and never rebuild positionally
  public CoopConfig withNCtx(int value) {
    return new CoopConfig(value, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withCtxInit(String value) {
    return new CoopConfig(nCtx, value, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withClassSpecific(boolean value) {
    return new CoopConfig(nCtx, ctxInit, value, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withPosition(ClassPosition value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, value, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withEpochs(int value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, value, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withBatchSize(int value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, value, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withLr(double value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, value, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withMomentum(double value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, value, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withWeightDecay(double value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, value, warmupEpochs, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withWarmupEpochs(int value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, value, warmupLr, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withWarmupLr(double value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, value, viewsPerImage, seed, cutAfterEndOfText);
  }

  public CoopConfig withViewsPerImage(int value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, value, seed, cutAfterEndOfText);
  }

  public CoopConfig withSeed(long value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, value, cutAfterEndOfText);
  }

  public CoopConfig withCutAfterEndOfText(boolean value) {
    return new CoopConfig(nCtx, ctxInit, classSpecific, position, epochs, batchSize, lr, momentum, weightDecay, warmupEpochs, warmupLr, viewsPerImage, seed, value);
  }

  /** Learning rate of epoch {@code e} (0-based): constant warm-up, then cosine from {@code lr} (Dassl's schedule). */
  public double learningRate(int e) {
    if (e < warmupEpochs) {
      return warmupLr;
    }
    return 0.5 * lr * (1 + Math.cos(Math.PI * (e - warmupEpochs) / Math.max(epochs, 1)));
  }
}
