package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CEC on a pool with more than budget × max-rows-per-centre unlabelled rows: k-means on a sample, the query over every row. */
class SampledClusteringTest {
  private static final int DIM = 16;
  private static final int BUDGET = 10;
  /** ~3,000 rows in chunks of 512, some LABELED and PENDING. */
  private static final PoolView POOL = ChunkedPools.pool(3000, DIM, 6, 512, 5);
  private static final int[] UNLABELLED = Pool.unlabelledRows(POOL);

  private static WeightedKMeans.Settings kmeans(int maxRowsPerCentre) {
    return new WeightedKMeans.Settings(1, 100, 1e-4, maxRowsPerCentre, Compute.Settings.defaults());
  }

  private static Selection cec(int maxRowsPerCentre) {
    return new CecStrategy(new CecStrategy.Settings(10, 10, 1.0, kmeans(maxRowsPerCentre))).select(POOL, BUDGET, 7);
  }

  @Test
  void kmeansRunsOnBudgetTimesTheCapAndPicksBudgetDistinctUnlabelledRows() {
    Selection s = cec(3);
    assertEquals(30.0, s.timingsMs().get("kmeans_rows"));
    int[] rows = s.rows();
    assertEquals(BUDGET, rows.length);
    assertEquals(BUDGET, Arrays.stream(rows).distinct().count());
    for (int r : rows) assertEquals(PoolStatus.UNLABELED, POOL.status()[r], "row " + r);
    assertTrue(Double.isFinite(s.objective()) && s.objective() > 0, "inertia " + s.objective());
  }

  /** Rows in fp16 train and query as the fp32 rows of their values do: the device holds them in fp16 too, losing nothing. */
  @ParameterizedTest(name = "fp16 rows: {0}")
  @ValueSource(booleans = {false, true})
  void eachPickIsTheNearestFreeEligibleRowOfTheWholePoolToItsCentre(boolean half) {
    PoolView pool = half ? ChunkedPools.half(POOL) : POOL;
    double[] w = new Random(1).doubles(UNLABELLED.length, 0.5, 2).toArray();
    ClusteredQuery.Result r = ClusteredQuery.run(pool, UNLABELLED, w, BUDGET, kmeans(3), 11);
    assertEquals(30, r.trainedRows());
    // the sample trains exactly as WeightedKMeans.fit's own sampling does on the gathered rows
    WeightedKMeans.Result fit = WeightedKMeans.fit(pool.features().gather(UNLABELLED), DIM, w, BUDGET, kmeans(3), 11);
    assertArrayEquals(fit.centers(), r.centers());
    assertEquals(fit.inertia(), r.inertia(), 1e-9 * fit.inertia(), "the pool's weighted inertia under the centres");

    boolean[] taken = new boolean[pool.rows()];
    for (int q = 0; q < BUDGET; q++) {
      int best = -1;
      double bd = Double.POSITIVE_INFINITY;
      for (int row = 0; row < pool.rows(); row++) {
        if (!pool.eligible(row) || taken[row]) continue;
        float[] x = pool.features().row(row);
        double d = 0;
        for (int k = 0; k < DIM; k++) {
          double v = x[k] - r.centers()[q * DIM + k];
          d += v * v;
        }
        if (d < bd) {
          bd = d;
          best = row;
        }
      }
      assertEquals(best, r.rows()[q], "centre " + q);
      taken[best] = true;
    }
  }

  @Test
  void aCapAboveThePoolGivesTheUnsampledRound() {
    Selection all = cec(0);
    Selection capped = cec(1000);
    assertEquals((double) UNLABELLED.length, capped.timingsMs().get("kmeans_rows"));
    assertArrayEquals(all.rows(), capped.rows());
    assertEquals(all.objective(), capped.objective(), 0);
    assertArrayEquals(all.rowScores().get("uncertainty"), capped.rowScores().get("uncertainty"), 0);
  }

  @Test
  void aSampledRoundSeedsOnThirtyTwoRowsPerCentreAndAnUnsampledOneOnEveryRow() {
    Selection sampled = cec(100);
    assertEquals(1000.0, sampled.timingsMs().get("kmeans_rows"));
    assertEquals(32.0 * BUDGET, sampled.timingsMs().get("kmeans_seed_rows"), "a subsample of the sample");
    Selection whole = cec(0);
    assertEquals((double) UNLABELLED.length, whole.timingsMs().get("kmeans_seed_rows"), "small pools seed on every row, as before");
  }

  @Test
  void aSampledRoundRunsTheSampledInitsAndAnUnsampledOneTheInits() {
    CecStrategy.Settings d = CecStrategy.Settings.defaults();
    WeightedKMeans.Settings km = new WeightedKMeans.Settings(3, 100, 1e-4, 100, 2, Compute.Settings.defaults());
    CecStrategy cec = new CecStrategy(new CecStrategy.Settings(d.topN(), d.k(), d.lambda(), km));
    Selection sampled = cec.select(POOL, BUDGET, 7);
    assertEquals(1000.0, sampled.timingsMs().get("kmeans_rows"));
    assertEquals(2.0, sampled.timingsMs().get("kmeans_inits"));
    CecStrategy whole = new CecStrategy(new CecStrategy.Settings(d.topN(), d.k(), d.lambda(),
        new WeightedKMeans.Settings(3, 100, 1e-4, 1000, 2, Compute.Settings.defaults())));
    assertEquals(3.0, whole.select(POOL, BUDGET, 7).timingsMs().get("kmeans_inits"));
    assertEquals(1, WeightedKMeans.Settings.defaults().sampledInits(), "one init on a sample by default");
    assertEquals(3, WeightedKMeans.Settings.defaults().inits(), "three on all rows, as before");
  }

  /**
   * Seeding on a subsample only starts Lloyd from other centres: summed over a dozen seeds (one
   * seed alone varies by ±10% either way), the weighted inertia it ends at stays within a few
   * percent of seeding on every training row.
   */
  @Test
  void seedingOnASubsampleEndsNearlyWhereSeedingOnEveryRowDoes() {
    int n = 12_000, dim = 8, k = 40;
    Random rnd = new Random(3);
    float[] centres = new float[k * dim];
    for (int i = 0; i < centres.length; i++) centres[i] = (float) (rnd.nextGaussian() * 4);
    float[] x = new float[n * dim];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(k);
      for (int d = 0; d < dim; d++) x[i * dim + d] = centres[c * dim + d] + (float) rnd.nextGaussian();
      w[i] = 0.5 + rnd.nextDouble();
    }
    WeightedKMeans.Settings s = kmeans(256);
    double every = 0, subsample = 0;
    for (long seed = 1; seed <= 12; seed++) {
      try (DeviceMatrix device = DeviceMatrix.upload(Compute.cpu(), x, dim)) {
        WeightedKMeans.Result full = WeightedKMeans.train(device, RowSubset.of(x, dim), w, k, s, new java.util.SplittableRandom(seed));
        WeightedKMeans.Result sub = WeightedKMeans.trainSample(device, RowSubset.of(x, dim), w, k, s,
            new java.util.SplittableRandom(seed));
        assertEquals(n, full.stats().seedRows());
        assertEquals(32 * k, sub.stats().seedRows());
        every += full.inertia();
        subsample += sub.inertia();
      }
    }
    assertTrue(subsample <= 1.03 * every, "inertia " + subsample + " seeding on a subsample vs " + every + " on every row");
  }
}
