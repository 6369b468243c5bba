package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

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

  @Test
  void eachPickIsTheNearestFreeEligibleRowOfTheWholePoolToItsCentre() {
    double[] w = new Random(1).doubles(UNLABELLED.length, 0.5, 2).toArray();
    ClusteredQuery.Result r = ClusteredQuery.run(POOL, UNLABELLED, w, BUDGET, kmeans(3), 11);
    assertEquals(30, r.trainedRows());
    // the sample trains exactly as WeightedKMeans.fit's own sampling does on the gathered rows
    WeightedKMeans.Result fit = WeightedKMeans.fit(POOL.features().gather(UNLABELLED), DIM, w, BUDGET, kmeans(3), 11);
    assertArrayEquals(fit.centers(), r.centers());
    assertEquals(fit.inertia(), r.inertia(), 1e-9 * fit.inertia(), "the pool's weighted inertia under the centres");

    boolean[] taken = new boolean[POOL.rows()];
    for (int q = 0; q < BUDGET; q++) {
      int best = -1;
      double bd = Double.POSITIVE_INFINITY;
      for (int row = 0; row < POOL.rows(); row++) {
        if (!POOL.eligible(row) || taken[row]) continue;
        float[] x = POOL.features().row(row);
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
}
