package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Weighted k-means (cec.md §4), FAISS-style: greedy weighted k-means++ seeding ({@link GreedySeeding}),
 * then Lloyd steps whose distance products and argmin run a block of rows at a time on the
 * {@link Compute} device ({@code ‖x−c‖² = ‖x‖² + ‖c‖² − 2 x·c}); weighted centre sums are taken on the
 * host from each block's labels. Stops when the weighted inertia changes by at most {@code tolerance}
 * relative to itself, or after {@code iterations} steps. Clusters left without weight are re-seeded at
 * the rows of largest {@code w · d²}. Each init draws from its own split of the seed, and the lowest
 * weighted inertia {@code Σ w_i ‖x_i − μ_a(i)‖²} (in double) wins. With more than
 * {@code samplePerCentre · clusters} rows, Lloyd runs on a uniform sample of that many rows (weights
 * kept) and each init seeds on a subsample of {@link #SEED_ROWS_PER_CENTRE} rows per centre of it,
 * then one pass assigns every row. Memory: the rows once on the device plus one
 * {@code block × clusters} product; {@code O(rows + clusters · dim)} on the host.
 */
public final class WeightedKMeans {
  private static final int BLOCK = 4096;

  /**
   * Rows per centre the seeding draws from when k-means trains on a sample: a uniform subsample of
   * the training rows, new for every init. k-means++ adds one centre at a time, each a pass over
   * every row it seeds on, so at 256 rows per centre it cost more than all the Lloyd steps together
   * (docs/benchmarks.md); Lloyd then runs on the whole
   * sample. scikit-learn's MiniBatchKMeans seeds on {@code 3 · K} rows the same way. Pools small
   * enough to train on every row seed on every row, as before.
   */
  static final int SEED_ROWS_PER_CENTRE = 32;

  /**
   * @param inits independent seedings, the best kept
   * @param iterations at most this many Lloyd steps per init
   * @param tolerance stop when {@code |inertia_prev − inertia| ≤ tolerance · inertia}; 0 runs until labels settle
   * @param samplePerCentre train on a sample of {@code samplePerCentre · clusters} rows when there are more
   *     (FAISS's points-per-centroid cap); 0 trains on all rows
   * @param sampledInits independent seedings when k-means trains on such a sample, the best kept
   * @param compute where products run
   */
  public record Settings(int inits, int iterations, double tolerance, int samplePerCentre, int sampledInits,
      Compute.Settings compute) {
    public Settings {
      Objects.requireNonNull(compute, "compute");
      if (inits < 1 || sampledInits < 1 || iterations < 0 || tolerance < 0 || Double.isNaN(tolerance) || samplePerCentre < 0) {
        throw new IllegalArgumentException("k-means needs inits >= 1, sampled-inits >= 1, iterations >= 0, tolerance >= 0, "
            + "sample-per-centre >= 0; got " + inits + ", " + sampledInits + ", " + iterations + ", " + tolerance + ", "
            + samplePerCentre);
      }
    }

    /** The same number of inits whether k-means trains on all rows or on a sample. */
    public Settings(int inits, int iterations, double tolerance, int samplePerCentre, Compute.Settings compute) {
      this(inits, iterations, tolerance, samplePerCentre, inits, compute);
    }

    /** All rows up to 256 per centre (FAISS's default cap), automatic device; {@code inits} either way. */
    public Settings(int inits, int iterations, double tolerance) {
      this(inits, iterations, tolerance, 256, Compute.Settings.defaults());
    }

    /**
     * Three inits on all rows, one on a sample (as FAISS's k-means, {@code nredo} 1, and scikit-learn's
     * {@code KMeans(n_init="auto")} with k-means++: each init is a whole clustering), at most 100
     * steps, tolerance 1e-4.
     */
    public static Settings defaults() {
      return new Settings(3, 100, 1e-4, 256, 1, Compute.Settings.defaults());
    }

    /** Inits for this training: {@link #sampledInits} when k-means trains on a sample, else {@link #inits}. */
    int initsFor(boolean sampled) {
      return sampled ? sampledInits : inits;
    }

    /** These settings on {@code c}. */
    public Settings withCompute(Compute.Settings c) {
      return new Settings(inits, iterations, tolerance, samplePerCentre, sampledInits, c);
    }
  }

  /**
   * Where the time went, summed over inits: the device, seeding, Lloyd and final assignment wall time,
   * Lloyd steps, rows trained on, rows each init seeded on and the inits run.
   */
  public record Stats(String device, double seedingMs, double lloydMs, double assignMs, int steps, int trainedRows,
      int seedRows, int inits) {}

  /** Centres {@code [clusters, dim]}, the cluster of each row, the weighted inertia, Lloyd steps of the best init, timings. */
  public record Result(float[] centers, int clusters, int[] assignment, double inertia, int iterations, Stats stats) {}

  private final DeviceMatrix rows;
  /** The same rows on the host, read where they lie. */
  private final RowSubset x;
  private final int n;
  private final int dim;
  private final double[] w;
  private final double[] norms;

  private WeightedKMeans(DeviceMatrix rows, RowSubset x, double[] w) {
    this.rows = rows;
    this.x = x;
    this.dim = rows.dim;
    this.n = rows.rows;
    this.w = w;
    this.norms = x.squaredNorms();
  }

  /**
   * Clusters the rows of {@code x} ({@code [rows, dim]}) into {@code clusters} groups with sample weights
   * {@code weights} (non-negative; all-zero weights count as all equal).
   */
  public static Result fit(float[] x, int dim, double[] weights, int clusters, Settings settings, long seed) {
    try (DeviceMatrix d = DeviceMatrix.upload(Compute.of(settings.compute()), x, dim)) {
      return fit(d, RowSubset.of(x, dim), weights, clusters, settings, seed);
    }
  }

  /** As above, on rows already on the device ({@code device} holds the rows of {@code x}). */
  static Result fit(DeviceMatrix device, RowSubset x, double[] weights, int clusters, Settings settings, long seed) {
    int n = device.rows;
    if (weights.length != n) {
      throw new IllegalArgumentException("weights has " + weights.length + " values for " + n + " rows");
    }
    double[] w = checkedWeights(weights);
    SplittableRandom root = new SplittableRandom(seed);
    int[] sample = trainingSample(n, clusters, settings, root);
    if (sample == null) {
      return train(device, x, w, clusters, settings, root);
    }
    float[] xs = x.gather(sample);
    Result trained;
    try (DeviceMatrix ds = DeviceMatrix.upload(device.compute, xs, device.dim)) {
      trained = trainSample(ds, RowSubset.of(xs, device.dim), java.util.stream.IntStream.of(sample).mapToDouble(i -> w[i]).toArray(), clusters,
          settings, root);
    }
    return new WeightedKMeans(device, x, w).assignAll(trained);
  }

  /** A copy of {@code weights}, checked non-negative; all-zero weights count as all equal (ones). */
  static double[] checkedWeights(double[] weights) {
    Objects.requireNonNull(weights, "weights");
    double[] w = weights.clone();
    boolean anyPositive = false;
    for (double v : w) {
      if (v < 0 || Double.isNaN(v)) throw new IllegalArgumentException("weights must be non-negative, got " + v);
      anyPositive |= v > 0;
    }
    if (!anyPositive) Arrays.fill(w, 1.0);
    return w;
  }

  /**
   * The positions (ascending) of the rows that k-means trains on out of {@code n}: a uniform sample of
   * {@code samplePerCentre · clusters} when there are more rows, else null (all of them). Draws from
   * {@code root} only when it samples; {@link #train} then continues with the same {@code root}, as
   * {@link #fit} does, so a caller that gathers the sample itself gets {@link #fit}'s centres.
   */
  static int[] trainingSample(int n, int clusters, Settings settings, SplittableRandom root) {
    long cap = (long) settings.samplePerCentre() * clusters;
    return settings.samplePerCentre() > 0 && n > cap ? UniformSample.rows(n, (int) cap, root.split()) : null;
  }

  /** Clusters every row of {@code x} (on {@code device}) with checked weights ({@link #checkedWeights}), inits drawn from {@code root}. */
  static Result train(DeviceMatrix device, RowSubset x, double[] w, int clusters, Settings settings, SplittableRandom root) {
    return train(device, x, w, clusters, settings, root, 0);
  }

  /**
   * As {@link #train(DeviceMatrix, float[], double[], int, Settings, SplittableRandom)} on the rows of a
   * {@link #trainingSample}: each init seeds on a subsample of {@link #SEED_ROWS_PER_CENTRE} rows per
   * centre, Lloyd runs on all of them.
   */
  static Result trainSample(DeviceMatrix device, RowSubset x, double[] w, int clusters, Settings settings,
      SplittableRandom root) {
    return train(device, x, w, clusters, settings, root, (long) SEED_ROWS_PER_CENTRE * clusters);
  }

  private static Result train(DeviceMatrix device, RowSubset x, double[] w, int clusters, Settings settings,
      SplittableRandom root, long seedRows) {
    if (w.length != device.rows) {
      throw new IllegalArgumentException("weights has " + w.length + " values for " + device.rows + " rows");
    }
    if (clusters < 1 || clusters > device.rows) {
      throw new IllegalArgumentException("clusters must be in [1, rows=" + device.rows + "], got " + clusters);
    }
    return new WeightedKMeans(device, x, w).train(clusters, settings, root, seedRows);
  }

  private Result train(int clusters, Settings settings, SplittableRandom root, long seedRows) {
    int seedOn = seedRows > 0 && n > seedRows ? (int) seedRows : n;
    long seeding = 0, lloyd = 0;
    int steps = 0;
    Result best = null;
    int inits = settings.initsFor(seedRows > 0); // only a sample's training seeds on a subsample
    for (int r = 0; r < inits; r++) {
      SplittableRandom rnd = root.split();
      long t0 = System.nanoTime();
      float[] centers = seedOn < n ? seedOnSubsample(clusters, seedOn, rnd)
          : new GreedySeeding(rows, x, w, norms).run(clusters, rnd);
      long t1 = System.nanoTime();
      Result res = lloyd(centers, clusters, settings.iterations(), settings.tolerance());
      long t2 = System.nanoTime();
      seeding += t1 - t0;
      lloyd += t2 - t1;
      steps += res.iterations();
      if (best == null || res.inertia() < best.inertia()) best = res;
    }
    Stats stats = new Stats(rows.compute.name(), seeding / 1e6, lloyd / 1e6, 0, steps, n, seedOn, inits);
    return new Result(best.centers(), clusters, best.assignment(), best.inertia(), best.iterations(), stats);
  }

  /** Greedy k-means++ centres drawn from a uniform subsample of {@code size} rows (with their weights). */
  private float[] seedOnSubsample(int clusters, int size, SplittableRandom rnd) {
    int[] s = UniformSample.rows(n, size, rnd.split());
    float[] xs = x.gather(s);
    double[] ws = new double[size];
    double[] ns = new double[size];
    for (int i = 0; i < size; i++) {
      ws[i] = w[s[i]];
      ns[i] = norms[s[i]];
    }
    try (DeviceMatrix ds = DeviceMatrix.upload(rows.compute, xs, dim)) {
      return new GreedySeeding(ds, RowSubset.of(xs, dim), checkedWeights(ws), ns).run(clusters, rnd);
    }
  }

  /** Every row's nearest of {@code trained}'s centres, and the inertia over all rows. */
  private Result assignAll(Result trained) {
    long t0 = System.nanoTime();
    int[] labels = new int[n];
    double[] d2 = new double[n];
    assign(trained.centers(), trained.clusters(), labels, d2);
    Stats s = trained.stats();
    Stats stats = new Stats(s.device(), s.seedingMs(), s.lloydMs(), (System.nanoTime() - t0) / 1e6, s.steps(), s.trainedRows(),
        s.seedRows(), s.inits());
    return new Result(trained.centers(), trained.clusters(), labels, exactInertia(trained.centers(), labels),
        trained.iterations(), stats);
  }

  private Result lloyd(float[] centers, int clusters, int maxIter, double tol) {
    int[] labels = new int[n];
    int[] before = new int[n];
    double[] d2 = new double[n];
    double previous = Double.POSITIVE_INFINITY;
    int it = 0;
    while (true) {
      System.arraycopy(labels, 0, before, 0, n);
      double inertia = assign(centers, clusters, labels, d2);
      boolean settled = it > 0 && Arrays.equals(before, labels);
      if (settled || it >= maxIter || previous - inertia <= tol * inertia) {
        break;
      }
      CentreUpdate.update(x, w, n, centers, clusters, labels, d2);
      previous = inertia;
      it++;
    }
    return new Result(centers, clusters, labels, exactInertia(centers, labels), it, null);
  }

  /**
   * Nearest centre of every row, by blocked device products; writes labels and squared distances and
   * returns the weighted inertia. Ties go to the smaller centre.
   */
  private double assign(float[] centers, int clusters, int[] labels, double[] d2) {
    double inertia = 0;
    try (NDManager scope = rows.compute.newScope()) {
      NDArray c = rows.matrix(scope, centers, dim);
      NDArray ct = c.transpose();
      // argmin of ‖c‖² − 2 x·c: the row's own norm does not change the argmin
      NDArray half = rows.vector(scope, halfNorms(centers, clusters));
      for (int from = 0; from < n; from += BLOCK) {
        int to = Math.min(n, from + BLOCK);
        try (NDManager s = scope.newSubManager()) {
          NDArray score = half.sub(rows.block(s, from, to).matMul(ct));
          score.attach(s);
          int[] l = DeviceMatrix.ints(score.argMin(1));
          float[] v = DeviceMatrix.floats(score.min(new int[] {1}));
          for (int i = from; i < to; i++) {
            labels[i] = l[i - from];
            double d = Math.max(0, norms[i] + 2.0 * v[i - from]);
            d2[i] = d;
            inertia += w[i] * d;
          }
        }
      }
    }
    return inertia;
  }

  private float[] halfNorms(float[] centers, int clusters) {
    float[] h = new float[clusters];
    for (int j = 0; j < clusters; j++) h[j] = (float) (0.5 * DotProducts.dot(centers, j * dim, centers, j * dim, dim));
    return h;
  }

  /** {@code Σ w_i ‖x_i − c_label(i)‖²} in double. */
  private double exactInertia(float[] centers, int[] labels) {
    return inertia(x, w, centers, labels);
  }

  /** Weighted inertia of {@code x} under {@code labels} and {@code centers}, with the given weights, in double. */
  public static double inertia(float[] x, int dim, double[] weights, float[] centers, int[] labels) {
    return inertia(RowSubset.of(x, dim), weights, centers, labels);
  }

  private static double inertia(RowSubset x, double[] weights, float[] centers, int[] labels) {
    int dim = x.dim();
    double[] part = new double[(weights.length + 4095) / 4096];
    RowBlocks.forEach(weights.length, 4096, (from, to) -> {
      double s = 0;
      for (int i = from; i < to; i++) {
        s += weights[i] * x.squaredDistance(i, centers, labels[i] * dim);
      }
      part[from / 4096] = s;
    });
    double s = 0;
    for (double v : part) s += v;
    return s;
  }

  /** The nearest of {@code clusters} centres for every row of {@code x} (ties: smaller centre), on {@code compute}. */
  static int[] assign(Compute compute, float[] x, int dim, float[] centers, int clusters) {
    try (DeviceMatrix d = DeviceMatrix.upload(compute, x, dim)) {
      double[] w = new double[d.rows];
      Arrays.fill(w, 1);
      int[] labels = new int[d.rows];
      new WeightedKMeans(d, RowSubset.of(x, dim), w).assign(centers, clusters, labels, new double[d.rows]);
      return labels;
    }
  }

  static double[] squaredNorms(float[] x, int dim) {
    return RowSubset.of(x, dim).squaredNorms();
  }
}
