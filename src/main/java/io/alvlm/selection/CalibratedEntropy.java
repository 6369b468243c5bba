package io.alvlm.selection;

import java.util.Objects;

/**
 * Prior-calibrated entropy of cec.md §2: {@code p̂_i[c] ∝ p_i[c] / π_c}, {@code H_i = −Σ p̂ log p̂}
 * in nats. Dividing by the prior lifts classes CLIP under-predicts and damps those it over-predicts.
 */
public final class CalibratedEntropy {
  private CalibratedEntropy() {}

  /** Calibrated entropy of each row of row-major probabilities {@code [rows, classes]}. */
  public static double[] of(double[] probs, int classes, double[] prior) {
    Objects.requireNonNull(prior, "prior");
    if (prior.length != classes) {
      throw new IllegalArgumentException("prior has " + prior.length + " classes, probabilities " + classes);
    }
    int rows = probs.length / classes;
    double[] h = new double[rows];
    double[] q = new double[classes];
    for (int i = 0; i < rows; i++) {
      h[i] = ofRow(probs, i * classes, prior, q);
    }
    return h;
  }

  /** Calibrated entropy of one row of probabilities. */
  public static double ofRow(double[] p, double[] prior) {
    return ofRow(p, 0, prior, new double[prior.length]);
  }

  /** Calibrated entropy of the row of {@code p} at {@code off}; {@code q} is scratch of {@code classes} values. */
  static double ofRow(double[] p, int off, double[] prior, double[] q) {
    int classes = prior.length;
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      q[c] = prior[c] > 0 ? p[off + c] / prior[c] : 0;
      sum += q[c];
    }
    if (sum <= 0) {
      return 0;
    }
    double h = 0;
    for (int c = 0; c < classes; c++) {
      double v = q[c] / sum;
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }
}
