package io.alvlm.selection;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Weighted k-means (cec.md §4): weighted k-means++ seeding (next centre drawn with probability
 * ∝ {@code w_i · d_i²}), weighted Lloyd steps, clusters left without weight re-seeded at the row of
 * largest {@code w · d²}, several inits keeping the lowest weighted inertia {@code Σ w_i ‖x_i − μ_a(i)‖²}.
 * Rows are L2-normalised or not; distances are squared Euclidean. Deterministic for a seed. Works in
 * blocked products: memory is {@code O(rows + clusters · dim)} beyond the input.
 */
public final class WeightedKMeans {
  private static final int ROW_BLOCK = 64;

  /**
   * @param inits independent seedings, the best kept
   * @param iterations at most this many Lloyd steps per init
   * @param tolerance stop when the summed squared centre shift is at most {@code tolerance} times the
   *     mean per-dimension variance of the rows (scikit-learn's rule); 0 runs until labels settle
   */
  public record Settings(int inits, int iterations, double tolerance) {
    public Settings {
      if (inits < 1 || iterations < 0 || tolerance < 0 || Double.isNaN(tolerance)) {
        throw new IllegalArgumentException("k-means needs inits >= 1, iterations >= 0, tolerance >= 0; got "
            + inits + ", " + iterations + ", " + tolerance);
      }
    }

    public static Settings defaults() {
      return new Settings(3, 100, 1e-4);
    }
  }

  /** Centres {@code [clusters, dim]}, the cluster of each row, the weighted inertia and Lloyd steps run. */
  public record Result(float[] centers, int clusters, int[] assignment, double inertia, int iterations) {}

  private final float[] x;
  private final int n;
  private final int dim;
  private final double[] w;
  private final double[] norms;

  private WeightedKMeans(float[] x, int dim, double[] w) {
    this.x = x;
    this.dim = dim;
    this.n = x.length / dim;
    this.w = w;
    this.norms = new double[n];
    for (int i = 0; i < n; i++) {
      norms[i] = DotProducts.dot(x, i * dim, x, i * dim, dim);
    }
  }

  /**
   * Clusters the rows of {@code x} ({@code [rows, dim]}) into {@code clusters} groups with sample weights
   * {@code weights} (non-negative; all-zero weights count as all equal).
   */
  public static Result fit(float[] x, int dim, double[] weights, int clusters, Settings settings, long seed) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(settings, "settings");
    int n = x.length / dim;
    if (weights.length != n) {
      throw new IllegalArgumentException("weights has " + weights.length + " values for " + n + " rows");
    }
    if (clusters < 1 || clusters > n) {
      throw new IllegalArgumentException("clusters must be in [1, rows=" + n + "], got " + clusters);
    }
    double[] w = weights.clone();
    boolean anyPositive = false;
    for (double v : w) {
      if (v < 0 || Double.isNaN(v)) throw new IllegalArgumentException("weights must be non-negative, got " + v);
      anyPositive |= v > 0;
    }
    if (!anyPositive) java.util.Arrays.fill(w, 1.0);
    WeightedKMeans km = new WeightedKMeans(x, dim, w);
    double tol = settings.tolerance() * km.meanVariance();
    SplittableRandom root = new SplittableRandom(seed);
    Result best = null;
    for (int r = 0; r < settings.inits(); r++) {
      SplittableRandom rnd = root.split();
      Result res = km.lloyd(km.seed(clusters, rnd), clusters, settings.iterations(), tol);
      if (best == null || res.inertia() < best.inertia()) {
        best = res;
      }
    }
    return best;
  }

  private double meanVariance() {
    double total = 0;
    for (int d = 0; d < dim; d++) {
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) {
        double v = x[i * dim + d];
        s += v;
        s2 += v * v;
      }
      double mean = s / n;
      total += s2 / n - mean * mean;
    }
    return total / dim;
  }

  /** Weighted k-means++ seeding. */
  float[] seed(int clusters, SplittableRandom rnd) {
    float[] c = new float[clusters * dim];
    double[] minD2 = new double[n];
    int[] owner = new int[n];
    java.util.Arrays.fill(minD2, Double.POSITIVE_INFINITY);
    boolean[] chosen = new boolean[n];
    int first = sample(w, null, rnd, chosen);
    add(c, 0, first, chosen, minD2, owner);
    for (int j = 1; j < clusters; j++) {
      int next = sample(w, minD2, rnd, chosen);
      add(c, j, next, chosen, minD2, owner);
    }
    return c;
  }

  private void add(float[] c, int j, int row, boolean[] chosen, double[] minD2, int[] owner) {
    System.arraycopy(x, row * dim, c, j * dim, dim);
    chosen[row] = true;
    // distance of the new centre to earlier ones prunes rows it cannot be closer to (triangle inequality)
    double[] cc = new double[j];
    for (int q = 0; q < j; q++) {
      cc[q] = squaredDistance(c, j * dim, c, q * dim);
    }
    double cn = norms[row];
    RowBlocks.forEach(n, 2048, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (j > 0 && cc[owner[i]] >= 4 * minD2[i]) continue;
        double d = Math.max(0, norms[i] + cn - 2 * DotProducts.dot(x, i * dim, c, j * dim, dim));
        if (d < minD2[i]) {
          minD2[i] = d;
          owner[i] = j;
        }
      }
    });
  }

  private double squaredDistance(float[] a, int ao, float[] b, int bo) {
    double s = 0;
    for (int d = 0; d < dim; d++) {
      double v = a[ao + d] - b[bo + d];
      s += v * v;
    }
    return s;
  }

  /** Draws a row with probability ∝ w_i (· d_i² when given), preferring rows not yet chosen. */
  private int sample(double[] weight, double[] d2, SplittableRandom rnd, boolean[] chosen) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      if (!chosen[i]) total += weight[i] * (d2 == null ? 1 : d2[i]);
    }
    if (total > 0 && Double.isFinite(total)) {
      double u = rnd.nextDouble() * total;
      int last = -1;
      for (int i = 0; i < n; i++) {
        if (chosen[i]) continue;
        double p = weight[i] * (d2 == null ? 1 : d2[i]);
        if (p > 0) {
          last = i;
          u -= p;
          if (u < 0) return i;
        }
      }
      return last;
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

  private Result lloyd(float[] centers, int clusters, int maxIter, double tol) {
    int[] labels = new int[n];
    double[] d2 = new double[n];
    java.util.Arrays.fill(labels, -1);
    assign(centers, clusters, labels, d2);
    int it = 0;
    while (it < maxIter) {
      it++;
      double shift = update(centers, clusters, labels, d2);
      int[] before = labels.clone();
      assign(centers, clusters, labels, d2);
      if (java.util.Arrays.equals(before, labels) || shift <= tol) {
        break;
      }
    }
    return new Result(centers, clusters, labels, exactInertia(centers, labels), it);
  }

  /** Nearest centre of each row; {@code d2} gets the squared distance. */
  void assign(float[] centers, int clusters, int[] labels, double[] d2) {
    double[] cn = new double[clusters];
    for (int j = 0; j < clusters; j++) cn[j] = DotProducts.dot(centers, j * dim, centers, j * dim, dim);
    int cb = Math.min(clusters, 512);
    RowBlocks.forEach(n, ROW_BLOCK, (from, to) -> {
      float[] buf = new float[(to - from) * cb];
      double[] best = new double[to - from];
      java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int c0 = 0; c0 < clusters; c0 += cb) {
        int c1 = Math.min(clusters, c0 + cb);
        int wdt = c1 - c0;
        DotProducts.floats(x, from, to, centers, c0, c1, dim, buf);
        for (int i = from; i < to; i++) {
          int o = (i - from) * wdt;
          for (int j = c0; j < c1; j++) {
            double d = cn[j] - 2.0 * buf[o + j - c0];
            if (d < best[i - from]) {
              best[i - from] = d;
              labels[i] = j;
            }
          }
        }
      }
      for (int i = from; i < to; i++) d2[i] = Math.max(0, best[i - from] + norms[i]);
    });
  }

  /** Weighted means; re-seeds weightless clusters; returns the summed squared centre shift. */
  private double update(float[] centers, int clusters, int[] labels, double[] d2) {
    double[] sum = new double[clusters * dim];
    double[] mass = new double[clusters];
    for (int i = 0; i < n; i++) {
      int j = labels[i];
      double wi = w[i];
      if (wi == 0) continue;
      mass[j] += wi;
      int o = i * dim, s = j * dim;
      for (int d = 0; d < dim; d++) sum[s + d] += wi * x[o + d];
    }
    double shift = 0;
    boolean[] used = new boolean[n];
    for (int j = 0; j < clusters; j++) {
      float[] next = new float[dim];
      if (mass[j] > 0) {
        for (int d = 0; d < dim; d++) next[d] = (float) (sum[j * dim + d] / mass[j]);
      } else {
        int far = farthest(d2, used);
        used[far] = true;
        d2[far] = 0;
        System.arraycopy(x, far * dim, next, 0, dim);
      }
      for (int d = 0; d < dim; d++) {
        double v = next[d] - centers[j * dim + d];
        shift += v * v;
      }
      System.arraycopy(next, 0, centers, j * dim, dim);
    }
    return shift;
  }

  private int farthest(double[] d2, boolean[] used) {
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

  /** {@code Σ w_i ‖x_i − c_label(i)‖²} in double. */
  double exactInertia(float[] centers, int[] labels) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += w[i] * squaredDistance(x, i * dim, centers, labels[i] * dim);
    }
    return s;
  }

  /** Weighted inertia of {@code x} under {@code labels} and {@code centers}, with the given weights. */
  public static double inertia(float[] x, int dim, double[] weights, float[] centers, int[] labels) {
    return new WeightedKMeans(x, dim, weights).exactInertia(centers, labels);
  }
}
