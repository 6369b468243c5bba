package io.alvlm.selection;

import java.util.Objects;

/**
 * CLIP zero-shot class probabilities (cec.md §1): {@code p_i = softmax(τ · F_i Tᵀ)} for L2-normalised
 * image rows {@code F} ({@code [rows, dim]}) and class text rows {@code T} ({@code [classes, dim]}).
 * Logits are accumulated and the softmax taken in double; the result is row-major {@code [rows, classes]}.
 */
public final class ZeroShotProbabilities {
  private static final int BLOCK = 64;

  private ZeroShotProbabilities() {}

  /** Probabilities of every row of {@code features}. */
  public static double[] of(float[] features, int rows, int dim, float[] classText, int classes, double logitScale) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(classText, "classText");
    double[] p = new double[rows * classes];
    RowBlocks.forEach(rows, BLOCK, (from, to) -> {
      double[] logits = new double[(to - from) * classes];
      DotProducts.doubles(features, from, to, classText, 0, classes, dim, logits);
      for (int i = from; i < to; i++) {
        softmax(logits, (i - from) * classes, classes, logitScale, p, i * classes);
      }
    });
    return p;
  }

  /**
   * Probabilities of {@code rows[from, to)} of {@code pool} into {@code out} ({@code [to − from, classes]}):
   * copied from its maintained {@link ClassProbabilities} when present, else computed from the
   * features where they lie (a run of consecutive rows is read in place, other rows are gathered
   * 64 at a time). Bit for bit what {@link #of} gives for the gathered rows when {@code from}
   * is a multiple of 64.
   */
  public static void forRows(PoolView pool, int[] rows, int from, int to, double[] out) {
    int classes = pool.classes();
    if (pool.probabilities().isPresent()) {
      ClassProbabilities maintained = pool.probabilities().get();
      for (int i = from; i < to; i++) maintained.copyRow(rows[i], out, (i - from) * classes);
      return;
    }
    FeatureRows f = pool.features();
    int dim = pool.dim();
    RowBlocks.forEach(to - from, BLOCK, (a, b) -> {
      int first = rows[from + a];
      float[] values;
      int at;
      if (consecutive(rows, from + a, from + b) && f.chunk(first) == f.chunk(rows[from + b - 1])) {
        values = f.chunk(first);
        at = f.offset(first) / dim;
      } else {
        values = new float[(b - a) * dim];
        for (int i = a; i < b; i++) f.copyRow(rows[from + i], values, (i - a) * dim);
        at = 0;
      }
      double[] logits = new double[(b - a) * classes];
      DotProducts.doubles(values, at, at + b - a, pool.classText(), 0, classes, dim, logits);
      for (int i = a; i < b; i++) {
        softmax(logits, (i - a) * classes, classes, pool.logitScale(), out, i * classes);
      }
    });
  }

  private static boolean consecutive(int[] rows, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (rows[i] != rows[i - 1] + 1) return false;
    }
    return true;
  }

  /** Probabilities of one normalised image vector (for scoring images as they arrive). */
  public static double[] ofRow(float[] feature, float[] classText, int classes, double logitScale) {
    int dim = feature.length;
    double[] logits = new double[classes];
    for (int c = 0; c < classes; c++) {
      logits[c] = DotProducts.dot(feature, 0, classText, c * dim, dim);
    }
    double[] p = new double[classes];
    softmax(logits, 0, classes, logitScale, p, 0);
    return p;
  }

  private static void softmax(double[] logits, int off, int classes, double scale, double[] out, int outOff) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, scale * logits[off + c]);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      double e = Math.exp(scale * logits[off + c] - max);
      out[outOff + c] = e;
      sum += e;
    }
    for (int c = 0; c < classes; c++) {
      out[outOff + c] /= sum;
    }
  }

  /** Shannon entropy in nats of each row of {@code p} ({@code [rows, classes]}); {@code 0 log 0 = 0}. */
  public static double[] entropy(double[] p, int classes) {
    int rows = p.length / classes;
    double[] h = new double[rows];
    for (int i = 0; i < rows; i++) {
      h[i] = entropy(p, i * classes, classes);
    }
    return h;
  }

  /** Entropy in nats of {@code p[off..off+classes)}. */
  public static double entropy(double[] p, int off, int classes) {
    double h = 0;
    for (int c = 0; c < classes; c++) {
      double v = p[off + c];
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  /** Index of the most probable class of row {@code row}. */
  public static int argmax(double[] p, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (p[row * classes + c] > p[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }
}
