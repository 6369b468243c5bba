package io.alvlm.selection;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weighted k-means++ seeding (cec.md §4: the next centre is drawn with probability ∝ {@code w_i · d_i²},
 * {@code d_i} the distance to the nearest centre so far). The plain form folds every new centre into
 * the distances at once: one pass over all rows per centre, memory-bound. The batched form (same
 * distribution) lets new centres pile up and folds them in with one blocked product per batch; between
 * folds it draws from the stale distances and accepts a draw with probability
 * {@code fresh/stale ≤ 1}, where {@code fresh} also counts the centres not folded in yet (exact
 * rejection sampling). Either way it ends with every row's nearest and second-nearest centre, which
 * the first Lloyd step reuses.
 */
final class KMeansPlusPlus {
  private static final int MAX_BATCH = 256;
  /** Folds of fewer centres are matrix-vector work, memory-bound: the Java kernel does them without copies. */
  private static final int SMALL_FOLD = 32;
  private static final int MAX_REJECTIONS = 64;

  private final float[] x;
  private final int n;
  private final int dim;
  private final double[] w;
  private final double[] norms;
  private final MatrixProducts products;
  private final boolean batched;

  final float[] centers;
  final double[] centerNorms;
  final int[] label;
  final double[] best;
  final double[] second;
  private final boolean[] chosen;
  private final double[] cum;
  private double total;
  private int placed;
  private int folded;

  KMeansPlusPlus(float[] x, int dim, double[] w, double[] norms, int clusters, MatrixProducts products, boolean batched) {
    this.x = x;
    this.dim = dim;
    this.n = w.length;
    this.w = w;
    this.norms = norms;
    this.products = products;
    this.batched = batched;
    this.centers = new float[clusters * dim];
    this.centerNorms = new double[clusters];
    this.label = new int[n];
    this.best = new double[n];
    this.second = new double[n];
    this.chosen = new boolean[n];
    this.cum = new double[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    Arrays.fill(second, Double.POSITIVE_INFINITY);
  }

  /** Places all centres; afterwards {@link #label}, {@link #best}, {@link #second} hold every row's two nearest. */
  void run(SplittableRandom rnd) {
    int clusters = centerNorms.length;
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += w[i];
      cum[i] = t;
    }
    total = t;
    place(draw(rnd));
    fold();
    while (placed < clusters) {
      place(batched && folded < placed ? drawLazily(rnd) : draw(rnd));
      if (!batched || placed - folded >= Math.max(1, Math.min(MAX_BATCH, placed / 2))) {
        fold();
      }
    }
    fold();
  }

  private void place(int row) {
    System.arraycopy(x, row * dim, centers, placed * dim, dim);
    centerNorms[placed] = norms[row];
    chosen[row] = true;
    placed++;
  }

  /** Folds the centres placed since the last fold into the nearest-two arrays and the sampling weights. */
  private void fold() {
    if (folded == placed) {
      return;
    }
    MatrixProducts p = placed - folded < SMALL_FOLD ? JavaProducts.INSTANCE : products;
    NearestCentres.merge(p, x, dim, norms, null, n, centers, folded, placed, centerNorms, label, best, second);
    folded = placed;
    double t = 0;
    for (int i = 0; i < n; i++) {
      if (!chosen[i]) t += w[i] * best[i];
      cum[i] = t;
    }
    total = t;
  }

  /** A draw from the folded distances (exact when nothing is pending). */
  private int draw(SplittableRandom rnd) {
    if (total > 0 && Double.isFinite(total)) {
      return search(rnd.nextDouble() * total);
    }
    // every remaining row coincides with a centre or weighs nothing: any unchosen row will do
    int free = 0;
    for (boolean b : chosen) if (!b) free++;
    int pick = rnd.nextInt(free);
    for (int i = 0; i < n; i++) {
      if (!chosen[i] && pick-- == 0) return i;
    }
    throw new IllegalStateException("no row left to seed a centre");
  }

  /** Rejection sampling against the pending centres; folds and draws exactly after too many rejections. */
  private int drawLazily(SplittableRandom rnd) {
    for (int t = 0; t < MAX_REJECTIONS && total > 0 && Double.isFinite(total); t++) {
      int i = search(rnd.nextDouble() * total);
      double stale = best[i];
      double fresh = stale;
      for (int q = folded; q < placed && fresh > 0; q++) {
        fresh = Math.min(fresh, squaredDistance(i, q));
      }
      if (rnd.nextDouble() * stale < fresh) {
        return i;
      }
    }
    fold();
    return draw(rnd);
  }

  /** The first row whose cumulative weight exceeds {@code u} (so its own weight is positive). */
  private int search(double u) {
    int lo = 0, hi = n - 1;
    if (!(u < cum[hi])) {
      // rounding at the top end: the last row with positive weight
      while (hi > 0 && cum[hi] == cum[hi - 1]) hi--;
      return hi;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private double squaredDistance(int row, int centre) {
    int a = row * dim, b = centre * dim;
    double s = 0;
    for (int d = 0; d < dim; d++) {
      double v = x[a + d] - centers[b + d];
      s += v * v;
    }
    return s;
  }
}
