package io.alvlm.selection;

/**
 * The query step of cec.md §4: for each centre in order, the nearest (squared Euclidean) row that is
 * eligible and not yet chosen. Candidates per centre come from one blocked pass of
 * {@link MatrixProducts} (centres against blocks of rows); a centre whose candidates were all taken
 * falls back to a full scan.
 */
final class CentreQuery {
  private static final int CANDIDATES = 16;

  private CentreQuery() {}

  /** Indices into {@code x} ({@code [rows, dim]}), one per centre, distinct, all with {@code eligible[i]}. */
  static int[] nearestEligible(float[] x, int dim, boolean[] eligible, float[] centers, int clusters) {
    return nearestEligible(JavaProducts.INSTANCE, x, dim, eligible, centers, clusters);
  }

  /** As above, the products computed by {@code products}. */
  static int[] nearestEligible(MatrixProducts products, float[] x, int dim, boolean[] eligible, float[] centers,
      int clusters) {
    int n = x.length / dim;
    double[] xn = new double[n];
    for (int i = 0; i < n; i++) xn[i] = DotProducts.dot(x, i * dim, x, i * dim, dim);
    int m = Math.min(CANDIDATES, n);
    int[][] cand = new int[clusters][];
    int rowBlock = products.columnBlock();
    products.forEachBlock(clusters, products.rowBlock(), (from, to) -> {
      TopCandidates[] tops = new TopCandidates[to - from];
      for (int q = 0; q < tops.length; q++) tops[q] = new TopCandidates(m);
      float[] buf = new float[(to - from) * Math.min(n, rowBlock)];
      for (int r0 = 0; r0 < n; r0 += rowBlock) {
        int r1 = Math.min(n, r0 + rowBlock);
        products.multiply(centers, from, to, x, r0, r1, dim, buf);
        for (int q = from; q < to; q++) {
          TopCandidates top = tops[q - from];
          double thr = top.threshold();
          int o = (q - from) * (r1 - r0);
          for (int i = r0; i < r1; i++) {
            // -‖x−c‖² up to the centre's constant norm
            double v = 2.0 * buf[o + i - r0] - xn[i];
            if (v >= thr && eligible[i]) {
              top.offer(i, v);
              thr = top.threshold();
            }
          }
        }
      }
      double[] s = new double[m];
      for (int q = from; q < to; q++) cand[q] = tops[q - from].sorted(s);
    });
    boolean[] taken = new boolean[n];
    int[] out = new int[clusters];
    for (int q = 0; q < clusters; q++) {
      int pick = -1;
      for (int i : cand[q]) {
        if (!taken[i]) {
          pick = i;
          break;
        }
      }
      if (pick < 0) pick = scan(x, dim, xn, eligible, taken, centers, q);
      taken[pick] = true;
      out[q] = pick;
    }
    return out;
  }

  private static int scan(float[] x, int dim, double[] xn, boolean[] eligible, boolean[] taken, float[] centers, int q) {
    int best = -1;
    double bv = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xn.length; i++) {
      if (eligible[i] && !taken[i]) {
        double v = 2.0 * DotProducts.dot(x, i * dim, centers, q * dim, dim) - xn[i];
        if (v > bv) {
          bv = v;
          best = i;
        }
      }
    }
    if (best < 0) throw new IllegalStateException("more centres than eligible rows");
    return best;
  }
}
