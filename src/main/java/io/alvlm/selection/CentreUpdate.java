package io.alvlm.selection;

/**
 * The update step of weighted Lloyd (cec.md §4): each centre moves to the weighted mean of its rows;
 * a centre left without weight moves to the row of largest {@code w · d²} not taken yet, so no
 * cluster stays empty.
 */
final class CentreUpdate {
  private CentreUpdate() {}

  /**
   * Weighted means of {@code x}'s first {@code n} rows by {@code labels} into {@code centers} ({@code [clusters, dim]});
   * {@code d2} holds each row's squared distance to its centre.
   */
  static void update(RowSubset x, double[] w, int n, float[] centers, int clusters, int[] labels, double[] d2) {
    int dim = x.dim();
    double[] sum = new double[clusters * dim];
    double[] mass = new double[clusters];
    for (int i = 0; i < n; i++) {
      double wi = w[i];
      if (wi == 0) continue;
      int j = labels[i];
      mass[j] += wi;
      x.addScaled(i, wi, sum, j * dim);
    }
    boolean[] used = null;
    for (int j = 0; j < clusters; j++) {
      if (mass[j] > 0) {
        for (int d = 0; d < dim; d++) centers[j * dim + d] = (float) (sum[j * dim + d] / mass[j]);
      } else {
        if (used == null) used = new boolean[n];
        int far = farthest(w, n, d2, used);
        used[far] = true;
        x.copyRow(far, centers, j * dim);
      }
    }
  }

  private static int farthest(double[] w, int n, double[] d2, boolean[] used) {
    int best = -1;
    double bv = -1;
    for (int i = 0; i < n; i++) {
      double v = w[i] * d2[i];
      if (!used[i] && v > bv) {
        bv = v;
        best = i;
      }
    }
    return best;
  }
}
