package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The query step of cec.md §4 over a whole pool: for each centre in order, the nearest (squared
 * Euclidean) row that is eligible and not yet chosen. Candidates per centre come from one pass over
 * the pool's rows where they lie ({@link FeatureRows#forEachBlock}), a block at a time on the device
 * (centres against the block, ineligible rows masked, top-k per block), re-ranked in double on the
 * host; a centre whose candidates were all taken falls back to an exact scan. Exact: the answer is the
 * true nearest free eligible row (ties: the smaller row). The same pass gives the weighted inertia of
 * the pool under the centres. Memory: one block of rows and one {@code clusters × block} product.
 */
final class CentreQuery {
  private static final int CANDIDATES = 16;
  static final int BLOCK = 8192;
  /** Added to the score of an ineligible row; representable in fp16 as −∞ after rounding, never chosen. */
  private static final float MASKED = -1e30f;

  /**
   * @param rows the picked rows, one per centre, distinct, all eligible
   * @param inertia {@code Σ w_r ‖x_r − c_nearest(r)‖²} over the pool's rows, in double
   */
  record Answer(int[] rows, double inertia) {}

  private CentreQuery() {}

  /**
   * Picks for {@code centers} ({@code [clusters, dim]}) among the eligible rows of {@code pool};
   * {@code weights} holds one weight per pool row (0 for rows outside the clustering) for the inertia,
   * or is null when the caller has the inertia already (it is then NaN).
   */
  static Answer nearestEligible(Compute compute, PoolView pool, double[] weights, float[] centers, int clusters) {
    FeatureRows f = pool.features();
    int n = pool.rows(), dim = pool.dim();
    int m = Math.min(CANDIDATES + FlatIndex.SLACK, n);
    TopCandidates[] tops = new TopCandidates[clusters];
    for (int q = 0; q < clusters; q++) tops[q] = new TopCandidates(m);
    double[] inertia = {weights == null ? Double.NaN : 0};
    ByteBuffer staging = ByteBuffer.allocateDirect(Math.min(n, BLOCK) * dim * Float.BYTES).order(ByteOrder.nativeOrder());
    try (NDManager scope = compute.newScope()) {
      NDArray c = DeviceMatrix.owned(scope, centers, new Shape(clusters, dim)).toType(compute.type(), false);
      NDArray normCol = DeviceMatrix.owned(scope, CecStrategy.toFloats(WeightedKMeans.squaredNorms(centers, dim)), new Shape(clusters, 1))
          .toType(compute.type(), false);
      f.forEachBlock(0, n, BLOCK, (values, at, first, count) -> {
        float[] bias = new float[count];
        for (int j = 0; j < count; j++) {
          int o = (at + j) * dim;
          bias[j] = pool.eligible(first + j) ? (float) -DotProducts.dot(values, o, values, o, dim) : MASKED;
        }
        // the engine reads native memory: the block is copied once into a buffer reused for every block
        staging.asFloatBuffer().put(0, values, at * dim, count * dim);
        try (NDManager s = scope.newSubManager()) {
          NDArray block = s.create(staging.duplicate().order(ByteOrder.nativeOrder()).limit(count * dim * Float.BYTES),
              new Shape(count, dim), DataType.FLOAT32).toType(compute.type(), false);
          // 2 x·c: minus ‖x‖² it ranks rows for a centre, minus ‖c‖² it ranks centres for a row
          NDArray twice = c.matMul(block.transpose());
          twice.attach(s);
          twice = twice.add(twice);
          NDArray score = DeviceMatrix.owned(s, bias, new Shape(1, count)).toType(compute.type(), false).add(twice);
          int k = Math.min(m, count);
          NDList top = score.topK(k, 1, true, false);
          float[] v = DeviceMatrix.floats(top.get(0));
          int[] ix = DeviceMatrix.ints(top.get(1));
          for (int q = 0; q < clusters; q++) {
            for (int j = 0; j < k; j++) {
              int r = first + ix[q * k + j];
              if (pool.eligible(r)) tops[q].offer(r, v[q * k + j]);
            }
          }
          if (weights == null) return;
          int[] nearest = DeviceMatrix.ints(twice.sub(normCol).argMax(0));
          for (int j = 0; j < count; j++) {
            double w = weights[first + j];
            if (w != 0) inertia[0] += w * squaredDistance(values, (at + j) * dim, centers, nearest[j] * dim, dim);
          }
        }
      });
    }
    boolean[] taken = new boolean[n];
    int[] out = new int[clusters];
    double[] scores = new double[m];
    TopCandidates exact = new TopCandidates(m);
    for (int q = 0; q < clusters; q++) {
      exact.clear();
      for (int r : tops[q].sorted(scores)) exact.offer(r, 2.0 * f.dot(r, centers, q * dim) - f.dot(r, r));
      int pick = -1;
      // the candidates are the m nearest eligible rows; the first free one is the answer
      for (int r : exact.sorted(scores)) {
        if (!taken[r]) {
          pick = r;
          break;
        }
      }
      if (pick < 0) pick = scan(pool, taken, centers, q);
      taken[pick] = true;
      out[q] = pick;
    }
    return new Answer(out, inertia[0]);
  }

  private static int scan(PoolView pool, boolean[] taken, float[] centers, int q) {
    FeatureRows f = pool.features();
    int best = -1;
    double bv = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < pool.rows(); r++) {
      if (pool.eligible(r) && !taken[r]) {
        double v = 2.0 * f.dot(r, centers, q * pool.dim()) - f.dot(r, r);
        if (v > bv) {
          bv = v;
          best = r;
        }
      }
    }
    if (best < 0) throw new IllegalStateException("more centres than eligible rows");
    return best;
  }

  private static double squaredDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
    double s = 0;
    for (int d = 0; d < dim; d++) {
      double v = a[aOff + d] - b[bOff + d];
      s += v * v;
    }
    return s;
  }
}
