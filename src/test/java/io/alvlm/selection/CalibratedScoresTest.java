package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CalibratedScoresTest {
  private static final int DIM = 24;
  private static final int CLASSES = 7;
  private static final int TOP_N = 10;

  /** Blocks of 128 rows over chunks of 256, with labelled rows cutting runs: rows read in place and gathered. */
  private static final PoolView POOL = ChunkedPools.pool(1500, DIM, CLASSES, 256, 3);
  private static final int[] ROWS = Pool.unlabelledRows(POOL);

  /** The previous computation: every row's features gathered, then [rows, classes] probabilities at once. */
  private static double[] allAtOnce() {
    float[] x = POOL.features().gather(ROWS);
    return ZeroShotProbabilities.of(x, ROWS.length, DIM, POOL.classText(), CLASSES, POOL.logitScale());
  }

  private static void assertSameAsAllAtOnce(double[] p, CalibratedScores blocked) {
    double[] prior = ClassPrior.topNMean(p, CLASSES, TOP_N);
    assertArrayEquals(prior, blocked.prior(), 0);
    assertArrayEquals(ZeroShotProbabilities.entropy(p, CLASSES), blocked.entropy(), 0);
    assertArrayEquals(CalibratedEntropy.of(p, CLASSES, prior), blocked.calibrated(), 0);
  }

  @Test
  void blockedScoresEqualOnePassOverAllRowsBitForBit() {
    assertSameAsAllAtOnce(allAtOnce(), CalibratedScores.of(POOL, ROWS, TOP_N, 128));
    assertSameAsAllAtOnce(allAtOnce(), CalibratedScores.of(POOL, ROWS, TOP_N));
  }

  @Test
  void fp16RowsScoreAsTheFp32RowsOfTheirValuesDo() {
    PoolView half = ChunkedPools.half(POOL);
    float[] x = half.features().gather(ROWS);
    for (int i = 0; i < x.length; i++) assertEquals(io.alvlm.data.Half.toFloat(io.alvlm.data.Half.fromFloat(x[i])), x[i], 0);
    double[] p = ZeroShotProbabilities.of(x, ROWS.length, DIM, POOL.classText(), CLASSES, POOL.logitScale());
    assertSameAsAllAtOnce(p, CalibratedScores.of(half, ROWS, TOP_N, 128));
    assertTrue(Arrays.mismatch(p, allAtOnce()) >= 0, "the rounding shows in the probabilities");
  }

  @Test
  void maintainedProbabilitiesAreReadInBlocks() {
    double[] p = allAtOnce();
    double[] byRow = new double[POOL.rows() * CLASSES];
    for (int i = 0; i < ROWS.length; i++) System.arraycopy(p, i * CLASSES, byRow, ROWS[i] * CLASSES, CLASSES);
    PoolView maintained = POOL.withProbabilities((row, out, offset) -> System.arraycopy(byRow, row * CLASSES, out, offset, CLASSES));
    assertSameAsAllAtOnce(p, CalibratedScores.of(maintained, ROWS, TOP_N, 128));
  }
}
