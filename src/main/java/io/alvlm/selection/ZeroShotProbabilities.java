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
   * Probabilities of {@code rows} of {@code pool}: gathered from its maintained
   * {@link ClassProbabilities} when present, else computed from {@code gathered}, the rows' features.
   */
  public static double[] forRows(PoolView pool, int[] rows, float[] gathered) {
    int classes = pool.classes();
    if (pool.probabilities().isPresent()) {
      ClassProbabilities maintained = pool.probabilities().get();
      double[] p = new double[rows.length * classes];
      for (int i = 0; i < rows.length; i++) maintained.copyRow(rows[i], p, i * classes);
      return p;
    }
    return of(gathered, rows.length, pool.dim(), pool.classText(), classes, pool.logitScale());
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
