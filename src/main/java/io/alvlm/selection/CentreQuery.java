package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The query step of cec.md §4: for each centre in order, the nearest (squared Euclidean) row that is
 * eligible and not yet chosen. Candidates per centre come from one blocked pass on the device (centres
 * against blocks of rows, ineligible rows masked, top-k per block), re-ranked in double on the host; a
 * centre whose candidates were all taken falls back to an exact scan. Exact: the answer is the true
 * nearest free eligible row (ties: the smaller row).
 */
final class CentreQuery {
  private static final int CANDIDATES = 16;
  private static final int BLOCK = 8192;
  /** Added to the score of an ineligible row; representable in fp16 as −∞ after rounding, never chosen. */
  private static final float MASKED = -1e30f;

  private CentreQuery() {}

  /** Indices into {@code x} ({@code [rows, dim]}, also on the device as {@code rows}), one per centre, distinct, all eligible. */
  static int[] nearestEligible(DeviceMatrix rows, float[] x, boolean[] eligible, float[] centers, int clusters) {
    int n = rows.rows, dim = rows.dim;
    double[] xn = WeightedKMeans.squaredNorms(x, dim);
    int m = Math.min(CANDIDATES + FlatIndex.SLACK, n);
    TopCandidates[] tops = new TopCandidates[clusters];
    for (int q = 0; q < clusters; q++) tops[q] = new TopCandidates(m);
    try (NDManager scope = rows.compute.newScope()) {
      NDArray c = rows.matrix(scope, centers, dim);
      for (int from = 0; from < n; from += BLOCK) {
        int to = Math.min(n, from + BLOCK);
        float[] bias = new float[to - from];
        for (int i = from; i < to; i++) bias[i - from] = eligible[i] ? (float) -xn[i] : MASKED;
        try (NDManager s = scope.newSubManager()) {
          // 2 x·c − ‖x‖²: larger is nearer (up to the centre's own norm)
          NDArray p = c.matMul(rows.block(s, from, to).transpose());
          p.attach(s);
          NDArray score = rows.vector(s, bias).expandDims(0).add(p.add(p));
          int k = Math.min(m, to - from);
          NDList top = score.topK(k, 1, true, false);
          float[] v = DeviceMatrix.floats(top.get(0));
          int[] ix = DeviceMatrix.ints(top.get(1));
          for (int q = 0; q < clusters; q++) {
            for (int j = 0; j < k; j++) {
              int i = from + ix[q * k + j];
              if (eligible[i]) tops[q].offer(i, v[q * k + j]);
            }
          }
        }
      }
    }
    boolean[] taken = new boolean[n];
    int[] out = new int[clusters];
    double[] scores = new double[m];
    TopCandidates exact = new TopCandidates(m);
    for (int q = 0; q < clusters; q++) {
      exact.clear();
      for (int i : tops[q].sorted(scores)) exact.offer(i, 2.0 * DotProducts.dot(x, i * dim, centers, q * dim, dim) - xn[i]);
      int pick = -1;
      // the candidates are the m nearest eligible rows; the first free one is the answer
      for (int i : exact.sorted(scores)) {
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
