package io.alvlm.selection;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Weighted k-means (cec.md §4): weighted k-means++ seeding ({@link KMeansPlusPlus}), weighted Lloyd
 * steps, clusters left without weight re-seeded at the row of largest {@code w · d²}, several inits
 * keeping the lowest weighted inertia {@code Σ w_i ‖x_i − μ_a(i)‖²}. Distances are squared Euclidean,
 * from blocked products {@code ‖x‖² + ‖c‖² − 2 x·c} ({@link MatrixProducts}: pure Java or DJL).
 * With {@link Settings#bounds()} a Lloyd step re-examines only the rows whose Hamerly bounds (distance
 * to the own centre from above, to the second-nearest from below, moved by the centre shifts) no
 * longer prove the assignment, and seeding folds centres in batches; the result is the same k-means.
 * Deterministic for a seed and a products implementation. Memory: {@code O(rows + clusters · dim)}
 * beyond the input, plus one block of products.
 */
public final class WeightedKMeans {
  /** Float products carry a relative error of about {@code dim · 2⁻²⁴}; bounds keep this much slack. */
  private static final double SLACK = 0x1p-22;

  /**
   * @param inits independent seedings, the best kept
   * @param iterations at most this many Lloyd steps per init
   * @param tolerance stop when the summed squared centre shift is at most {@code tolerance} times the
   *     mean per-dimension variance of the rows (scikit-learn's rule); 0 runs until labels settle
   * @param products which {@link MatrixProducts} computes the distances
   * @param bounds Hamerly bounds in Lloyd steps and batched seeding; false runs the plain algorithm
   *     (every row against every centre each step, one pass over the rows per seeded centre)
   */
  public record Settings(int inits, int iterations, double tolerance, MatrixProducts.Kind products, boolean bounds) {
    public Settings {
      Objects.requireNonNull(products, "products");
      if (inits < 1 || iterations < 0 || tolerance < 0 || Double.isNaN(tolerance)) {
        throw new IllegalArgumentException("k-means needs inits >= 1, iterations >= 0, tolerance >= 0; got "
            + inits + ", " + iterations + ", " + tolerance);
      }
    }

    /** Automatic products, bounds on. */
    public Settings(int inits, int iterations, double tolerance) {
      this(inits, iterations, tolerance, MatrixProducts.Kind.AUTO, true);
    }

    /** Three inits, at most 100 steps, tolerance 1e-4, automatic products, bounds on. */
    public static Settings defaults() {
      return new Settings(3, 100, 1e-4);
    }

    /** These settings with {@code kind} products. */
    public Settings withProducts(MatrixProducts.Kind kind) {
      return new Settings(inits, iterations, tolerance, kind, bounds);
    }

    /** These settings with bounds (and batched seeding) on or off. */
    public Settings withBounds(boolean on) {
      return new Settings(inits, iterations, tolerance, products, on);
    }
  }

  /**
   * Where the time went, summed over inits: the products used, seeding and Lloyd wall time, and the
   * share of (row, step) pairs that were compared against every centre.
   */
  public record Stats(String products, double seedingMs, double lloydMs, double recomputedShare) {}

  /** Centres {@code [clusters, dim]}, the cluster of each row, the weighted inertia, Lloyd steps run, timings. */
  public record Result(float[] centers, int clusters, int[] assignment, double inertia, int iterations, Stats stats) {}

  private final float[] x;
  private final int n;
  private final int dim;
  private final double[] w;
  private final double[] norms;
  private final MatrixProducts products;
  private final boolean bounds;
  private long seedNanos;
  private long lloydNanos;
  private long recomputed;
  private long examined;

  private WeightedKMeans(float[] x, int dim, double[] w, MatrixProducts products, boolean bounds) {
    this.x = x;
    this.dim = dim;
    this.n = x.length / dim;
    this.w = w;
    this.products = products;
    this.bounds = bounds;
    this.norms = new double[n];
    RowBlocks.forEach(n, 4096, (from, to) -> {
      for (int i = from; i < to; i++) norms[i] = DotProducts.dot(x, i * dim, x, i * dim, dim);
    });
  }

  /** The products {@link #fit} uses for {@code rows × clusters} in {@code dim} dimensions under {@code settings}. */
  public static MatrixProducts products(Settings settings, int rows, int clusters, int dim) {
    return MatrixProducts.of(settings.products(), (long) rows * clusters * dim);
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
    if (!anyPositive) Arrays.fill(w, 1.0);
    WeightedKMeans km = new WeightedKMeans(x, dim, w, products(settings, n, clusters, dim), settings.bounds());
    double tol = settings.tolerance() * km.meanVariance();
    SplittableRandom root = new SplittableRandom(seed);
    Result best = null;
    for (int r = 0; r < settings.inits(); r++) {
      SplittableRandom rnd = root.split();
      long t0 = System.nanoTime();
      KMeansPlusPlus seeding = new KMeansPlusPlus(x, dim, w, km.norms, clusters, km.products, settings.bounds());
      seeding.run(rnd);
      long t1 = System.nanoTime();
      km.seedNanos += t1 - t0;
      Result res = km.lloyd(seeding, clusters, settings.iterations(), tol);
      km.lloydNanos += System.nanoTime() - t1;
      if (best == null || res.inertia() < best.inertia()) {
        best = res;
      }
    }
    Stats stats = new Stats(km.products.name(), km.seedNanos / 1e6, km.lloydNanos / 1e6,
        km.examined == 0 ? 1.0 : (double) km.recomputed / km.examined);
    return new Result(best.centers(), best.clusters(), best.assignment(), best.inertia(), best.iterations(), stats);
  }

  private double meanVariance() {
    double[] s = new double[dim];
    double[] s2 = new double[dim];
    for (int i = 0; i < n; i++) {
      int o = i * dim;
      for (int d = 0; d < dim; d++) {
        double v = x[o + d];
        s[d] += v;
        s2[d] += v * v;
      }
    }
    double total = 0;
    for (int d = 0; d < dim; d++) {
      double mean = s[d] / n;
      total += s2[d] / n - mean * mean;
    }
    return total / dim;
  }

  private Result lloyd(KMeansPlusPlus seeding, int clusters, int maxIter, double tol) {
    float[] centers = seeding.centers;
    double[] cn = seeding.centerNorms;
    int[] labels = seeding.label;
    double[] best = seeding.best;
    double[] second = seeding.second;
    double[] upper = new double[n];
    double[] lower = new double[n];
    setBounds(null, n, cn, best, second, upper, lower);
    double[] move = new double[clusters];
    int[] stale = new int[n];
    int it = 0;
    while (it < maxIter) {
      it++;
      double shift = update(centers, clusters, labels, move);
      for (int j = 0; j < clusters; j++) cn[j] = DotProducts.dot(centers, j * dim, centers, j * dim, dim);
      int[] before = labels.clone();
      int count = bounds ? staleRows(centers, labels, move, upper, lower, stale) : n;
      int[] rows = bounds ? stale : null;
      for (int r = 0; r < count; r++) {
        int i = rows == null ? r : rows[r];
        best[i] = Double.POSITIVE_INFINITY;
        second[i] = Double.POSITIVE_INFINITY;
      }
      NearestCentres.merge(products, x, dim, norms, rows, count, centers, 0, clusters, cn, labels, best, second);
      setBounds(rows, count, cn, best, second, upper, lower);
      recomputed += count;
      examined += n;
      if (Arrays.equals(before, labels) || shift <= tol) {
        break;
      }
    }
    return new Result(centers, clusters, labels, exactInertia(centers, labels), it, null);
  }

  /** Bounds (plain distances, with slack for float products) from fresh squared distances. */
  private void setBounds(int[] rows, int count, double[] cn, double[] best, double[] second, double[] upper, double[] lower) {
    double cmax = 0;
    for (double v : cn) cmax = Math.max(cmax, v);
    double cm = cmax;
    RowBlocks.forEach(count, 4096, (from, to) -> {
      for (int r = from; r < to; r++) {
        int i = rows == null ? r : rows[r];
        double e = SLACK * dim * (norms[i] + cm);
        upper[i] = Math.sqrt(best[i] + e);
        lower[i] = Math.sqrt(Math.max(0, second[i] - e));
      }
    });
  }

  /**
   * Moves the bounds by the centre shifts, tightens the upper bound of rows that fail with the exact
   * distance to their own centre, and lists in {@code out} the rows still unproven; returns their count.
   */
  private int staleRows(float[] centers, int[] labels, double[] move, double[] upper, double[] lower, int[] out) {
    int far = 0;
    for (int j = 1; j < move.length; j++) if (move[j] > move[far]) far = j;
    double m1 = move[far], m2 = 0;
    for (int j = 0; j < move.length; j++) if (j != far) m2 = Math.max(m2, move[j]);
    double maxOther = m2;
    int farthest = far;
    boolean[] unproven = new boolean[n];
    RowBlocks.forEach(n, 2048, (from, to) -> {
      for (int i = from; i < to; i++) {
        int a = labels[i];
        upper[i] += move[a];
        lower[i] -= a == farthest ? maxOther : m1;
        if (upper[i] > lower[i]) {
          upper[i] = Math.sqrt(squaredDistance(x, i * dim, centers, a * dim));
          unproven[i] = upper[i] > lower[i];
        }
      }
    });
    int count = 0;
    for (int i = 0; i < n; i++) if (unproven[i]) out[count++] = i;
    return count;
  }

  private double squaredDistance(float[] a, int ao, float[] b, int bo) {
    double s = 0;
    for (int d = 0; d < dim; d++) {
      double v = a[ao + d] - b[bo + d];
      s += v * v;
    }
    return s;
  }

  /**
   * Weighted means; re-seeds weightless clusters at the row of largest {@code w · d²} (distances to the
   * centres before this step); writes each centre's move (plain distance) and returns the summed
   * squared shift.
   */
  private double update(float[] centers, int clusters, int[] labels, double[] move) {
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
    double[] d2 = null;
    boolean[] used = null;
    double shift = 0;
    float[] next = new float[dim];
    for (int j = 0; j < clusters; j++) {
      if (mass[j] > 0) {
        for (int d = 0; d < dim; d++) next[d] = (float) (sum[j * dim + d] / mass[j]);
      } else {
        if (d2 == null) {
          d2 = distancesToOwnCentre(centers, labels);
          used = new boolean[n];
        }
        int far = farthest(d2, used);
        used[far] = true;
        d2[far] = 0;
        System.arraycopy(x, far * dim, next, 0, dim);
      }
      double m = 0;
      for (int d = 0; d < dim; d++) {
        double v = next[d] - centers[j * dim + d];
        m += v * v;
      }
      shift += m;
      move[j] = Math.sqrt(m);
      System.arraycopy(next, 0, centers, j * dim, dim);
    }
    return shift;
  }

  private double[] distancesToOwnCentre(float[] centers, int[] labels) {
    double[] d2 = new double[n];
    float[] snapshot = centers.clone();
    RowBlocks.forEach(n, 2048, (from, to) -> {
      for (int i = from; i < to; i++) d2[i] = squaredDistance(x, i * dim, snapshot, labels[i] * dim);
    });
    return d2;
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

  /** The nearest of {@code clusters} centres for every row of {@code x}, by {@code products} (ties: smaller centre). */
  static int[] assign(MatrixProducts products, float[] x, int dim, float[] centers, int clusters) {
    int n = x.length / dim;
    double[] xn = new double[n];
    for (int i = 0; i < n; i++) xn[i] = DotProducts.dot(x, i * dim, x, i * dim, dim);
    double[] cn = new double[clusters];
    for (int j = 0; j < clusters; j++) cn[j] = DotProducts.dot(centers, j * dim, centers, j * dim, dim);
    int[] label = new int[n];
    double[] best = new double[n];
    double[] second = new double[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    Arrays.fill(second, Double.POSITIVE_INFINITY);
    NearestCentres.merge(products, x, dim, xn, null, n, centers, 0, clusters, cn, label, best, second);
    return label;
  }

  /** Weighted inertia of {@code x} under {@code labels} and {@code centers}, with the given weights. */
  public static double inertia(float[] x, int dim, double[] weights, float[] centers, int[] labels) {
    return new WeightedKMeans(x, dim, weights, JavaProducts.INSTANCE, false).exactInertia(centers, labels);
  }
}
