package io.alvlm.selection;

import java.util.Objects;

/**
 * Neighbour entropy and uncertainty of cec.md §3: {@code H_NN(i) = Σ_j s_ij H_j / Σ_j s_ij} over the
 * k nearest neighbours with {@code s_ij = max(0, cos)}, and {@code U_i = H_i + λ · H_NN(i)}. A row
 * without neighbours of positive similarity has {@code H_NN = 0} (choice: no evidence, no lift).
 */
public final class NeighborUncertainty {
  private NeighborUncertainty() {}

  /** Similarity-weighted mean of {@code entropy} over the given neighbours (entries beyond them ignored). */
  public static double neighborEntropy(int[] neighbors, float[] similarities, double[] entropy) {
    double num = 0, den = 0;
    for (int i = 0; i < neighbors.length; i++) {
      double s = Math.max(0, similarities[i]);
      double h = entropy[neighbors[i]];
      if (s > 0 && !Double.isNaN(h)) {
        num += s * h;
        den += s;
      }
    }
    return den > 0 ? num / den : 0;
  }

  /**
   * Neighbour entropy of each row in {@code rows}, from {@code lists}; {@code entropy} is indexed by row
   * and is NaN for rows outside the unlabelled pool (such neighbours are skipped). Rows not in
   * {@code rows} get NaN.
   */
  public static double[] neighborEntropy(NeighborLists lists, int[] rows, double[] entropy) {
    Objects.requireNonNull(lists, "lists");
    double[] out = new double[entropy.length];
    java.util.Arrays.fill(out, Double.NaN);
    for (int r : rows) {
      out[r] = neighborEntropy(lists.neighbors(r), lists.similarities(r), entropy);
    }
    return out;
  }

  /** {@code U = H + λ · H_NN}. */
  public static double uncertainty(double calibratedEntropy, double neighborEntropy, double lambda) {
    return calibratedEntropy + lambda * neighborEntropy;
  }
}
