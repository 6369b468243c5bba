package io.alvlm.coop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.EngineScalar;

/**
 * One CoOp training on the model's device (the GPU when DJL sees one). The context, its momentum
 * buffer ({@link DeviceSgd}), the image features and the learning-rate schedule are put on the
 * device once and stay there: a {@link #step} gathers its batch on the device, runs forward and
 * backward through the frozen text tower and updates the context in place. The host reads the
 * context only at the end ({@link #context()}) and the loss once per epoch ({@link #endEpoch()}).
 *
 * <p>Each step runs in its own scoped manager with its own {@link GradientCollector} and a fresh
 * leaf copy of the context (copied on the device), so no gradient accumulates and nothing but the
 * state outlives a step. Owns its state manager: close it. Not thread-safe.
 */
public final class TrainingRun implements AutoCloseable {
  private final ClipModel clip;
  private final PromptLearner learner;
  private final NDManager state;
  private final NDArray images;
  private final int[] rowLabels;
  private final DeviceSgd sgd;
  private final NDArray schedule;
  private NDArray lossSum;
  private NDArray correct;
  private int epochSteps;
  private int epochImages;

  /** Loss and training accuracy of the steps since the last {@link #endEpoch()}. */
  public record Epoch(double meanLoss, double accuracy, int steps) {}

  /**
   * {@code rows}: L2-normalised image features ({@code [rows][projection]}), {@code rowLabels[r]}
   * the class of row r; {@code initialContext} as {@link PromptLearner#contextShape()}, flattened.
   */
  public TrainingRun(ClipModel clip, PromptLearner learner, CoopConfig cfg, float[][] rows, int[] rowLabels,
      float[] initialContext) {
    this.clip = clip;
    this.learner = learner;
    this.rowLabels = rowLabels.clone();
    this.state = clip.newScope();
    try {
      this.images = onDevice(Features.flatten(rows), new Shape(rows.length, rows[0].length));
      NDArray ctx = onDevice(initialContext, new Shape(learner.contextRows(), learner.width()));
      this.sgd = new DeviceSgd(state, ctx, cfg.momentum(), cfg.weightDecay());
      this.schedule = schedule(state, cfg);
      NDScope.unregister(schedule);
      resetEpoch();
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
  }

  /**
   * A copy in engine-owned memory: {@code create(float[])} wraps a Java buffer that lives only as
   * long as that array object, and the state must not depend on it.
   */
  private NDArray onDevice(float[] values, Shape shape) {
    try (NDArray java = state.create(values, shape)) {
      NDArray owned = java.duplicate();
      owned.attach(state);
      NDScope.unregister(owned);
      return owned;
    }
  }

  /**
   * The learning rate of every epoch as a {@code [epochs]} float32 array, by the same formula as
   * {@link CoopConfig#learningRate}: constant warm-up, then cosine from {@code lr}.
   */
  static NDArray schedule(NDManager m, CoopConfig cfg) {
    int epochs = Math.max(cfg.epochs(), 1);
    NDArray e = m.arange(0f, (float) epochs, 1f);
    NDArray shifted = e.sub(EngineScalar.of(m, cfg.warmupEpochs()));
    NDArray cosine = EngineScalar.times(
        EngineScalar.times(shifted, (float) (Math.PI / Math.max(cfg.epochs(), 1))).cos()
            .add(EngineScalar.of(m, 1f)), (float) (0.5 * cfg.lr()));
    NDArray warm = m.full(new Shape(epochs), (float) cfg.warmupLr());
    return NDArrays.where(e.lt(EngineScalar.of(m, cfg.warmupEpochs())), warm, cosine);
  }

  /** One SGD step on rows {@code batch} of the features, at epoch {@code epoch}'s learning rate. */
  public void step(int[] batch, int epoch) {
    long[] index = new long[batch.length];
    int[] y = new int[batch.length];
    for (int j = 0; j < batch.length; j++) {
      index[j] = batch[j];
      y[j] = rowLabels[batch[j]];
    }
    try (NDManager m = clip.newScope(); NDScope scope = new NDScope();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray leaf = sgd.parameter().duplicate();
      leaf.attach(m);
      leaf.setRequiresGradient(true);
      NDArray x = images.get(new NDIndex("{}", m.create(index)));
      NDArray labels = m.create(y);
      NDArray logits = CoopLoss.logits(m, learner, leaf, x, clip.logitScale());
      NDArray loss = CoopLoss.crossEntropy(m, logits, labels);
      gc.backward(loss);
      // neither the gradient nor the state requires a gradient, so these in-place ops are not recorded
      sgd.step(leaf.getGradient(), schedule.get(epoch));
      lossSum.addi(loss.stopGradient());
      correct.addi(logits.argMax(1).eq(labels.toType(DataType.INT64, false)).sum().toType(DataType.FLOAT32, false));
    }
    epochSteps++;
    epochImages += batch.length;
  }

  /** Mean loss and accuracy of the steps since the last call (one read from the device), then resets them. */
  public Epoch endEpoch() {
    Epoch e = new Epoch(epochSteps == 0 ? Double.NaN : lossSum.getFloat() / epochSteps,
        epochImages == 0 ? Double.NaN : correct.getFloat() / epochImages, epochSteps);
    resetEpoch();
    return e;
  }

  /** New accumulators rather than zeroing in place: a NaN loss times zero is still NaN. */
  private void resetEpoch() {
    if (lossSum != null) {
      lossSum.close();
      correct.close();
    }
    lossSum = state.zeros(new Shape());
    correct = state.zeros(new Shape());
    NDScope.unregister(lossSum, correct);
    epochSteps = 0;
    epochImages = 0;
  }

  /** Mean cross-entropy of the current context on {@code rows} of the features, without gradients. */
  public double loss(int[] rows) {
    long[] index = new long[rows.length];
    int[] y = new int[rows.length];
    for (int j = 0; j < rows.length; j++) {
      index[j] = rows[j];
      y[j] = rowLabels[rows[j]];
    }
    try (NDManager m = clip.newScope(); NDScope scope = new NDScope()) {
      NDArray x = images.get(new NDIndex("{}", m.create(index)));
      return CoopLoss.crossEntropy(m, CoopLoss.logits(m, learner, sgd.parameter(), x, clip.logitScale()),
          m.create(y)).getFloat();
    }
  }

  /** The current context, copied to the host. */
  public float[] context() {
    return sgd.parameter().toFloatArray();
  }

  @Override
  public void close() {
    state.close();
  }
}
