package io.alvlm.coop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.alvlm.clip.ClipModel;
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
 * the frozen text tower, SGD with momentum and weight decay (PyTorch semantics), learning rate per
 * epoch from {@link CoopConfig#learningRate}. {@link #train} keeps the context and the optimiser
 * state on the model's device for the whole run ({@link TrainingRun}); {@link #step} is one pass
 * on a host context, for checks against references.
 *
 * <p>Progress (epoch, mean loss, training accuracy) goes to the {@link Progress} listener after
 * every epoch. Not thread-safe: one trainer per thread, and not concurrently with other calls on
 * the same model.
 */
public final class CoopTrainer {
  private final ClipModel clip;
  private final CoopConfig cfg;
  private final Progress progress;

  /** Told after every epoch; called on the training thread, so it must be quick. */
  @FunctionalInterface
  public interface Progress {
    /** Epoch {@code epoch} (0-based) of {@code epochs} ended with this mean loss and training accuracy (0–1). */
    void epochEnded(int epoch, int epochs, double meanLoss, double accuracy);

    Progress NONE = (epoch, epochs, loss, accuracy) -> {};
  }

  public CoopTrainer(ClipModel clip, CoopConfig cfg) {
    this(clip, cfg, Progress.NONE);
  }

  public CoopTrainer(ClipModel clip, CoopConfig cfg, Progress progress) {
    this.clip = java.util.Objects.requireNonNull(clip, "clip");
    this.cfg = java.util.Objects.requireNonNull(cfg, "cfg");
    this.progress = java.util.Objects.requireNonNull(progress, "progress");
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
      NDArray image = m.create(Features.flatten(features), new Shape(b, features[0].length));
      NDArray logits = CoopLoss.logits(m, learner, ctx, image, clip.logitScale());
      NDArray loss = CoopLoss.crossEntropy(m, logits, m.create(labels));
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
    return train(views, labels, classNames, cancelled, null);
  }

  /**
   * As {@link #train(float[][][], int[], List, BooleanSupplier)}, starting from {@code startContext}
   * (a warm start from an earlier model's context, shaped as {@link PromptLearner#contextShape()})
   * instead of the learner's initial context when it is not null.
   */
  public PromptModel train(float[][][] views, int[] labels, List<String> classNames, BooleanSupplier cancelled,
      float[] startContext) {
    int n = views.length;
    if (n == 0 || labels.length != n) {
      throw new IllegalArgumentException(n + " images but " + labels.length + " labels; need one label per image");
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not a class index in [0, "
            + classNames.size() + ")");
      }
      checkFeatures(views[i], i);
    }
    long start = System.nanoTime();
    String inputs = TrainingCheck.inputsHash(views, labels, classNames, cfg, startContext);
    // every view of every image is one row on the device; image i's views start at row first[i]
    int[] first = new int[n + 1];
    for (int i = 0; i < n; i++) first[i + 1] = first[i] + views[i].length;
    float[][] rows = new float[first[n]][];
    int[] rowLabels = new int[first[n]];
    for (int i = 0; i < n; i++) {
      for (int v = 0; v < views[i].length; v++) {
        rows[first[i] + v] = Features.normalise(views[i][v]);
        rowLabels[first[i] + v] = labels[i];
      }
    }
    PromptLearner learner = new PromptLearner(clip, classNames, cfg);
    float[] ctx0 = startContext != null ? checkedStart(learner, startContext) : learner.initialContext();
    int[] firstViews = java.util.Arrays.copyOf(first, n);
    Random rnd = new Random(cfg.seed());
    int batch = Math.min(cfg.batchSize(), n);
    int batches = n / batch;
    double firstLoss = Double.NaN;
    double lastLoss = Double.NaN;
    double lastAccuracy = Double.NaN;
    int steps = 0;
    float[] ctx;
    double initialLoss;
    double finalLoss;
    try (TrainingRun run = new TrainingRun(clip, learner, cfg, rows, rowLabels, ctx0)) {
      initialLoss = run.loss(firstViews);
      for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
        int[] order = shuffled(n, rnd);
        for (int k = 0; k < batches; k++) {
          int[] x = new int[batch];
          for (int j = 0; j < batch; j++) {
            int i = order[k * batch + j];
            x[j] = first[i] + (views[i].length == 1 ? 0 : rnd.nextInt(views[i].length));
          }
          if (cancelled.getAsBoolean()) {
            throw new CancellationException("training cancelled at epoch " + epoch + ", step " + steps + " of "
                + cfg.epochs() * batches + " (inputs sha256 " + inputs + ")");
          }
          run.step(x, epoch);
          steps++;
        }
        TrainingRun.Epoch e = run.endEpoch();
        if (!Double.isFinite(e.meanLoss())) {
          throw new IllegalStateException("training diverged: mean loss " + e.meanLoss() + " in epoch " + epoch
              + " (steps " + (steps - batches) + "–" + (steps - 1) + ", lr " + cfg.learningRate(epoch) + ", max |ctx| "
              + maxAbs(run.context()) + "; inputs sha256 " + inputs + "); lower the learning rate");
        }
        lastLoss = e.meanLoss();
        lastAccuracy = e.accuracy();
        if (epoch == 0) firstLoss = lastLoss;
        progress.epochEnded(epoch, cfg.epochs(), lastLoss, lastAccuracy);
      }
      finalLoss = run.loss(firstViews);
      ctx = run.context();
    }
    float[][] text = learner.normalisedClassFeatures(ctx);
    TrainingCheck.verifyFinite(ctx, text, initialLoss, finalLoss, inputs);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", lastLoss);
    metrics.put("loss_first_epoch", firstLoss);
    metrics.put("train_loss_before", initialLoss);
    metrics.put("train_loss_after", finalLoss);
    metrics.put("train_accuracy", lastAccuracy);
    metrics.put("epochs", (double) cfg.epochs());
    metrics.put("steps", (double) steps);
    metrics.put("labels", (double) n);
    metrics.put("warm_start", startContext != null ? 1.0 : 0.0);
    metrics.put("seconds", (System.nanoTime() - start) / 1e9);
    metrics.values().removeIf(v -> v.isNaN());
    PromptModel trained = new PromptModel("coop", 0, clip.modelId(), classNames, learner.nCtx(), learner.width(),
        cfg.classSpecific(), ctx, clip.projectionDim(), Features.flatten(text), clip.logitScale(), metrics,
        Instant.now());
    TrainingCheck.verifyLossFell(initialLoss, finalLoss, steps, inputs, trained);
    return trained;
  }

  /**
   * Image {@code i}'s views are as wide as the model's projection and finite: a wrong width would
   * surface as a libtorch shape error, and a NaN as a "diverged" training with the wrong advice.
   */
  private void checkFeatures(float[][] imageViews, int i) {
    for (float[] v : imageViews) {
      if (v.length != clip.projectionDim()) {
        throw new IllegalArgumentException("image features are " + v.length + " wide, but " + clip.modelId()
            + " projects to " + clip.projectionDim() + ": embed them with the same model");
      }
      for (int j = 0; j < v.length; j++) {
        if (!Float.isFinite(v[j])) {
          throw new IllegalArgumentException("image " + i + " has a non-finite feature (" + v[j] + " at column " + j
              + "); every feature must be a finite number");
        }
      }
    }
  }

  private static float[] checkedStart(PromptLearner learner, float[] startContext) {
    long size = 1;
    for (long d : learner.contextShape()) size *= d;
    if (startContext.length != size) {
      throw new IllegalArgumentException("warm-start context has " + startContext.length + " values, but this "
          + "training's context is " + java.util.Arrays.toString(learner.contextShape()) + "; start from zero instead");
    }
    return startContext.clone();
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
