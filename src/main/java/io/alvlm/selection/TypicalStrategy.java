package io.alvlm.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * TypiClust's cold start (Hacohen et al., ICML 2022), read over the maintained lists: the unlabelled pool
 * (UNLABELED and PENDING rows) is clustered into {@code budget} groups by k-means with unit weights, and each
 * group, largest first, gives its most typical eligible row, where
 * {@code typicality(i) = 1 / mean_{j ∈ NN_k(i)} ‖f_i − f_j‖} ({@code ‖f_i − f_j‖ = √(2 − 2 s_ij)} on unit rows)
 * over the view's neighbour lists (exact lists from scratch when none are attached). Dense, representative
 * images first: what a first round with no model worth trusting should ask. A group with no eligible row
 * leaves its slot to the most typical eligible rows not yet picked. Per-row score {@code typicality};
 * picks carry it and their {@code cluster}. Deterministic for a seed.
 */
public final class TypicalStrategy implements Strategy {
  private final int k;
  private final WeightedKMeans.Settings kmeans;

  public TypicalStrategy(int k, WeightedKMeans.Settings kmeans) {
    if (k < 1) throw new IllegalArgumentException("typicality needs k >= 1 neighbours, got " + k);
    this.k = k;
    this.kmeans = Objects.requireNonNull(kmeans, "kmeans");
  }

  /** TypiClust's 20 neighbours are more than the pool's default lists hold: the lists' own {@code k} is used when attached. */
  public static TypicalStrategy defaults() {
    return new TypicalStrategy(10, WeightedKMeans.Settings.defaults());
  }

  @Override
  public String name() {
    return "typical";
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int[] poolRows = Pool.unlabelledRows(pool);
    int eligible = Pool.eligibleRows(pool).length;
    int b = Math.min(Math.max(0, budget), eligible);
    if (b == 0) return Selection.empty();
    double[] typicality = typicality(pool, poolRows);
    long t1 = System.nanoTime();
    int clusters = Math.min(b, poolRows.length);
    float[] x = pool.features().gather(poolRows);
    double[] ones = new double[poolRows.length];
    Arrays.fill(ones, 1);
    WeightedKMeans.Result km = WeightedKMeans.fit(x, pool.dim(), ones, clusters, kmeans, seed);
    int[] size = new int[clusters];
    int[] best = new int[clusters];
    Arrays.fill(best, -1);
    for (int i = 0; i < poolRows.length; i++) {
      int c = km.assignment()[i];
      size[c]++;
      if (pool.eligible(poolRows[i]) && (best[c] < 0 || typicality[i] > typicality[best[c]])) best[c] = i;
    }
    Integer[] order = new Integer[clusters];
    for (int c = 0; c < clusters; c++) order[c] = c;
    Arrays.sort(order, (a, c) -> size[a] != size[c] ? Integer.compare(size[c], size[a]) : Integer.compare(a, c));
    boolean[] chosen = new boolean[poolRows.length];
    List<Pick> picks = new ArrayList<>(b);
    for (int c : order) {
      if (best[c] >= 0) {
        chosen[best[c]] = true;
        picks.add(pick(poolRows, best[c], c, typicality));
      }
    }
    if (picks.size() < b) {
      Integer[] byTypicality = new Integer[poolRows.length];
      for (int i = 0; i < byTypicality.length; i++) byTypicality[i] = i;
      Arrays.sort(byTypicality, (a, c) -> typicality[a] != typicality[c] ? Double.compare(typicality[c], typicality[a])
          : Integer.compare(a, c));
      for (int i : byTypicality) {
        if (picks.size() == b) break;
        if (!chosen[i] && pool.eligible(poolRows[i])) {
          chosen[i] = true;
          picks.add(pick(poolRows, i, km.assignment()[i], typicality));
        }
      }
    }
    Map<String, Double> timings = new HashMap<>();
    timings.put("scores", CecStrategy.ms(t0, t1));
    timings.put("kmeans", CecStrategy.ms(t1, System.nanoTime()));
    timings.put("total", CecStrategy.ms(t0, System.nanoTime()));
    return new Selection(picks, Map.of("typicality", CecStrategy.scatter(typicality, poolRows, pool.rows())), Map.of(),
        timings, km.inertia());
  }

  private static Pick pick(int[] poolRows, int i, int cluster, double[] typicality) {
    return new Pick(poolRows[i], cluster, Map.of("typicality", typicality[i]));
  }

  /** Typicality of each of {@code poolRows} over its k nearest neighbours in the unlabelled pool. */
  double[] typicality(PoolView pool, int[] poolRows) {
    NeighborLists lists = pool.neighbors().orElseGet(() -> ExactNeighbors.compute(Compute.of(kmeans.compute()),
        pool.features(), pool.rows(), poolRows, k));
    double[] t = new double[poolRows.length];
    for (int i = 0; i < poolRows.length; i++) {
      float[] s = lists.similarities(poolRows[i]);
      int m = pool.neighbors().isPresent() ? s.length : Math.min(k, s.length);
      if (m == 0) continue;
      double d = 0;
      for (int j = 0; j < m; j++) d += Math.sqrt(Math.max(0, 2 - 2.0 * s[j]));
      // a row whose neighbours coincide with it is as typical as a row can be
      t[i] = 1 / Math.max(d / m, 1e-6);
    }
    return t;
  }
}
