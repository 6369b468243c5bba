package io.alvlm.eval;

import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.Sgd;
import io.alvlm.coop.WarmStart;
import io.alvlm.selection.Vectors;
import java.util.Objects;
import java.util.Random;

/**
 * The learner for precomputed features without a text tower: class weights {@code W [classes][dim]}
 * start at the normalised text (zero-shot) features, logits are
 * {@code scale · normalise(x) · normalise(W)ᵀ}, and cross-entropy is minimised with CoOp's optimiser
 * and schedule ({@link Sgd}, {@link CoopConfig#learningRate}: warm-up, cosine, batch size, epochs;
 * the last partial batch dropped as CoOp's loader does). Deterministic for a seed; plain Java arrays.
 */
public final class CosineClassifier implements Learner {
  private final float[][] pool;
  private final float[] text;
  private final int classes;
  private final int dim;
  private final float scale;
  private final CoopConfig cfg;
  private final WarmStart warm;
  /** The raw weights the previous training ended with (warm start only). */
  private float[] last;

  /** {@code pool}: pool features {@code [n][dim]}; {@code text}: class text features {@code [classes][dim]}. */
  public CosineClassifier(float[][] pool, float[][] text, float scale, CoopConfig cfg) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(text, "text");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.classes = text.length;
    this.dim = text[0].length;
    this.pool = new float[pool.length][];
    for (int i = 0; i < pool.length; i++) this.pool[i] = Vectors.normalizedRows(pool[i], dim);
    this.text = Vectors.normalizedRows(flatten(text), dim);
    this.scale = scale;
    this.warm = WarmStart.OFF;
  }

  private CosineClassifier(CosineClassifier from, WarmStart warm) {
    this.pool = from.pool;
    this.text = from.text;
    this.classes = from.classes;
    this.dim = from.dim;
    this.scale = from.scale;
    this.cfg = from.cfg;
    this.warm = Objects.requireNonNull(warm, "warm");
  }

  @Override
  public Learner warmStarted(WarmStart w) {
    return new CosineClassifier(this, w);
  }

  @Override
  public float[][] train(int[] rows, int[] labels, long seed) {
    int n = rows.length;
    if (labels.length != n) throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
    boolean fromLast = warm.enabled() && last != null;
    CoopConfig cfg = warm.config(this.cfg, fromLast);
    float[] w = fromLast ? last.clone() : text.clone();
    if (n == 0) return rowsOf(Vectors.normalizedRows(w, dim));
    Sgd sgd = new Sgd(cfg.momentum(), cfg.weightDecay());
    Random rnd = new Random(seed);
    int batch = Math.min(cfg.batchSize(), n);
    int batches = n / batch;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      shuffle(order, rnd);
      double lr = cfg.learningRate(epoch);
      for (int b = 0; b < batches; b++) {
        int[] idx = new int[batch];
        for (int j = 0; j < batch; j++) idx[j] = order[b * batch + j];
        sgd.step(w, gradient(w, rows, labels, idx), lr);
      }
    }
    if (warm.enabled()) last = w.clone();
    return rowsOf(Vectors.normalizedRows(w, dim));
  }

  /** Mean cross-entropy gradient over batch {@code idx} with respect to the raw weights {@code w}. */
  float[] gradient(float[] w, int[] rows, int[] labels, int[] idx) {
    float[] norms = new float[classes];
    float[] wn = new float[w.length];
    for (int k = 0; k < classes; k++) {
      double s = 0;
      for (int j = 0; j < dim; j++) s += (double) w[k * dim + j] * w[k * dim + j];
      norms[k] = (float) Math.max(Math.sqrt(s), 1e-12);
      for (int j = 0; j < dim; j++) wn[k * dim + j] = w[k * dim + j] / norms[k];
    }
    // gradient with respect to the normalised weights first: scale · (p − y) ⊗ x / B
    float[] gn = new float[w.length];
    double[] logits = new double[classes];
    for (int i : idx) {
      float[] x = pool[rows[i]];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double s = 0;
        for (int j = 0; j < dim; j++) s += (double) x[j] * wn[k * dim + j];
        logits[k] = scale * s;
        max = Math.max(max, logits[k]);
      }
      double z = 0;
      for (int k = 0; k < classes; k++) z += Math.exp(logits[k] - max);
      for (int k = 0; k < classes; k++) {
        double p = Math.exp(logits[k] - max) / z;
        float coef = (float) (scale * (p - (k == labels[i] ? 1 : 0)) / idx.length);
        for (int j = 0; j < dim; j++) gn[k * dim + j] += coef * x[j];
      }
    }
    // back through w / ‖w‖: (I − ŵŵᵀ) g / ‖w‖
    float[] g = new float[w.length];
    for (int k = 0; k < classes; k++) {
      double dot = 0;
      for (int j = 0; j < dim; j++) dot += (double) gn[k * dim + j] * wn[k * dim + j];
      for (int j = 0; j < dim; j++) g[k * dim + j] = (float) ((gn[k * dim + j] - dot * wn[k * dim + j]) / norms[k]);
    }
    return g;
  }

  private float[][] rowsOf(float[] flat) {
    float[][] out = new float[classes][];
    for (int k = 0; k < classes; k++) out[k] = java.util.Arrays.copyOfRange(flat, k * dim, (k + 1) * dim);
    return out;
  }

  private static float[] flatten(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    return out;
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
