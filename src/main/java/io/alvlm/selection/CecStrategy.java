package io.alvlm.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CEC, Calibrated Entropy-weighted Clustering (docs/cec.md). Over the unlabelled pool (UNLABELED and
 * PENDING rows): zero-shot probabilities, the top-N class prior, calibrated entropy (all in blocks of
 * rows read where they lie, {@link CalibratedScores}), similarity-weighted neighbour entropy (from
 * {@link PoolView#neighbors()} when attached, else exact lists from scratch), uncertainty
 * {@code U = H + λ H_NN}; then weighted k-means with {@code K = budget} and weights U (on a uniform
 * sample of {@code samplePerCentre · K} rows when the pool holds more) and for each centre the nearest
 * not-yet-chosen UNLABELED row of the whole pool ({@link ClusteredQuery}). A budget of at least the
 * eligible count returns every eligible row. Per-row scores ({@code entropy}, {@code calibrated_entropy},
 * {@code neighbor_entropy}, {@code uncertainty}; NaN for labelled rows), {@code prior} in round facts,
 * the pool's weighted inertia as objective, timings in ms ({@code scores}, {@code neighbors},
 * {@code kmeans} (clustering and the centre query), {@code total}; when clustering ran also
 * {@code upload} (training rows to the device), {@code kmeans_seeding}, {@code kmeans_lloyd},
 * {@code kmeans_assign}, {@code centre_query}, {@code kmeans_rows}: the rows k-means ran on, the
 * whole unlabelled pool or the sample, and {@code kmeans_seed_rows}: the rows each init seeded on).
 */
public final class CecStrategy implements Strategy {
  /** cec.md's knobs: {@code topN} rows per class for the prior, {@code k} neighbours, {@code λ}, k-means. */
  public record Settings(int topN, int k, double lambda, WeightedKMeans.Settings kmeans) {
    public Settings {
      Objects.requireNonNull(kmeans, "kmeans");
      if (topN < 1 || k < 0 || Double.isNaN(lambda)) {
        throw new IllegalArgumentException("CEC needs top-n >= 1, k >= 0, lambda a number; got " + topN + ", " + k + ", " + lambda);
      }
    }

    public static Settings defaults() {
      return new Settings(10, 10, 1.0, WeightedKMeans.Settings.defaults());
    }
  }

  private final Settings settings;

  public CecStrategy(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public String name() {
    return "cec";
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    Objects.requireNonNull(pool, "pool");
    if (budget < 0) throw new IllegalArgumentException("budget must be >= 0, got " + budget);
    long t0 = System.nanoTime();
    int[] poolRows = Pool.unlabelledRows(pool);
    int[] eligibleRows = Pool.eligibleRows(pool);
    if (budget == 0 || eligibleRows.length == 0) {
      return Selection.empty();
    }
    int n = poolRows.length;
    CalibratedScores calibrated = CalibratedScores.of(pool, poolRows, settings.topN());
    double[] h = calibrated.entropy();
    double[] hc = calibrated.calibrated();
    double[] prior = calibrated.prior();
    double[] hcByRow = nanArray(pool.rows());
    for (int i = 0; i < n; i++) hcByRow[poolRows[i]] = hc[i];
    long t1 = System.nanoTime();

    Map<String, Double> timings = new LinkedHashMap<>();
    NeighborLists lists = pool.neighbors().orElseGet(() -> ExactNeighbors.compute(Compute.of(settings.kmeans().compute()),
        pool.features(), pool.rows(), poolRows, settings.k()));
    double[] hnn = new double[n];
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      int r = poolRows[i];
      int[] nb = lists.neighbors(r);
      float[] s = lists.similarities(r);
      int keep = Math.min(settings.k(), nb.length);
      hnn[i] = NeighborUncertainty.neighborEntropy(Arrays.copyOf(nb, keep), Arrays.copyOf(s, keep), hcByRow);
      u[i] = NeighborUncertainty.uncertainty(hc[i], hnn[i], settings.lambda());
    }
    long t2 = System.nanoTime();
    timings.put("neighbors", ms(t1, t2));

    int[] chosen;
    int[] cluster;
    double objective = Double.NaN;
    if (budget >= eligibleRows.length) {
      chosen = java.util.stream.IntStream.range(0, n).filter(i -> pool.eligible(poolRows[i])).toArray();
      cluster = new int[chosen.length];
      Arrays.fill(cluster, -1);
    } else {
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) weights[i] = Math.max(0, u[i]);
      ClusteredQuery.Result km = ClusteredQuery.run(pool, poolRows, weights, budget, settings.kmeans(), seed);
      chosen = new int[km.rows().length];
      for (int q = 0; q < chosen.length; q++) chosen[q] = Arrays.binarySearch(poolRows, km.rows()[q]);
      timings.put("upload", km.uploadMs());
      timings.put("kmeans_rows", (double) km.trainedRows());
      timings.put("kmeans_seed_rows", (double) km.kmeans().seedRows());
      timings.put("kmeans_inits", (double) km.kmeans().inits());
      timings.put("kmeans_seeding", km.kmeans().seedingMs());
      timings.put("kmeans_lloyd", km.kmeans().lloydMs());
      timings.put("kmeans_assign", km.kmeans().assignMs());
      timings.put("centre_query", km.queryMs());
      cluster = java.util.stream.IntStream.range(0, chosen.length).toArray();
      objective = km.inertia();
    }
    long t3 = System.nanoTime();

    List<Pick> picks = new ArrayList<>(chosen.length);
    for (int q = 0; q < chosen.length; q++) {
      int i = chosen[q];
      Map<String, Double> sc = new LinkedHashMap<>();
      sc.put("entropy", h[i]);
      sc.put("calibrated_entropy", hc[i]);
      sc.put("neighbor_entropy", hnn[i]);
      sc.put("uncertainty", u[i]);
      picks.add(new Pick(poolRows[i], cluster[q], sc));
    }
    Map<String, float[]> rowScores = new HashMap<>();
    rowScores.put("entropy", scatter(h, poolRows, pool.rows()));
    rowScores.put("calibrated_entropy", scatter(hc, poolRows, pool.rows()));
    rowScores.put("neighbor_entropy", scatter(hnn, poolRows, pool.rows()));
    rowScores.put("uncertainty", scatter(u, poolRows, pool.rows()));
    Map<String, float[]> facts = Map.of("prior", toFloats(prior));
    timings.put("scores", ms(t0, t1));
    timings.put("kmeans", ms(t2, t3));
    timings.put("total", ms(t0, System.nanoTime()));
    return new Selection(picks, rowScores, facts, timings, objective);
  }

  static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  static double[] nanArray(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  static float[] scatter(double[] values, int[] rows, int total) {
    float[] out = new float[total];
    Arrays.fill(out, Float.NaN);
    for (int i = 0; i < rows.length; i++) out[rows[i]] = (float) values[i];
    return out;
  }

  static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
    return out;
  }
}
