package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every strategy keeps (Strategy's Javadoc). */
class StrategyContractTest {
  private static final int DIM = 8;
  private static final int CLASSES = 5;

  /** Suffix of a row that runs the strategy with near-duplicate suppression ({@link DeduplicatedStrategy}). */
  static final String DEDUP = "+dedup";

  static Stream<String> names() {
    return Stream.of(Strategies.NAMES.stream(), Stream.of("pcb:cec", "pcb:random", "pcb:entropy", "pcb:typical"),
        Strategies.NAMES.stream().map(n -> n + DEDUP), Stream.of("pcb:cec" + DEDUP)).flatMap(s -> s);
  }

  /**
   * The named strategy; a {@link #DEDUP} row suppresses near-copies above a cosine no two rows of these
   * pools reach, so the contract holds unchanged (StrategyDedupTest pins what suppression does).
   */
  static Strategy strategy(String name) {
    if (name.endsWith(DEDUP)) {
      return Strategies.deduplicated(Strategies.create(name.substring(0, name.length() - DEDUP.length()), Map.of()), 0.9999);
    }
    return Strategies.create(name, Map.of());
  }

  /** Rows clustered around the first two classes only, so classes 2..4 are never predicted. */
  private static PoolView pool(int rows, long seed, int labelled, int pending) {
    Random r = new Random(seed);
    float[] text = new float[CLASSES * DIM];
    for (int c = 0; c < CLASSES; c++) text[c * DIM + c] = 1;
    float[] f = new float[rows * DIM];
    for (int i = 0; i < rows; i++) {
      f[i * DIM + (i % 2)] = 1;
      for (int d = 0; d < DIM; d++) f[i * DIM + d] += (float) (0.3 * r.nextGaussian());
      f[i * DIM + 2] -= 1.5f; // away from classes 2..4
    }
    PoolStatus[] status = new PoolStatus[rows];
    int[] labels = new int[rows];
    Arrays.fill(status, PoolStatus.UNLABELED);
    Arrays.fill(labels, -1);
    for (int i = 0; i < labelled; i++) {
      status[3 * i] = PoolStatus.LABELED;
      labels[3 * i] = i % 2;
    }
    for (int i = 0; i < pending; i++) status[3 * i + 1] = PoolStatus.PENDING;
    return PoolView.of(f, DIM, text, 100f, status, labels);
  }

  private static void assertValid(PoolView pool, Selection s, int expectedSize) {
    int[] rows = s.rows();
    assertEquals(expectedSize, rows.length, "picked count");
    assertEquals(rows.length, Arrays.stream(rows).distinct().count(), "distinct picks");
    for (int r : rows) assertTrue(pool.eligible(r), "row " + r + " is " + pool.status()[r]);
    for (Pick p : s.picks()) p.scores().values().forEach(v -> assertTrue(Double.isFinite(v), "finite score " + p));
  }

  @ParameterizedTest
  @MethodSource("names")
  void sameSeedSameIds(String name) {
    PoolView pool = pool(80, 1, 10, 5);
    assertArrayEquals(strategy(name).select(pool, 7, 42).rows(), strategy(name).select(pool, 7, 42).rows());
  }

  @ParameterizedTest
  @MethodSource("names")
  void neverSelectsLabelledOrPendingRows(String name) {
    PoolView pool = pool(80, 2, 12, 6);
    assertValid(pool, strategy(name).select(pool, 20, 3), 20);
  }

  @ParameterizedTest
  @MethodSource("names")
  void budgetZeroSelectsNothing(String name) {
    assertEquals(0, strategy(name).select(pool(30, 3, 2, 2), 0, 0).picks().size());
  }

  @ParameterizedTest
  @MethodSource("names")
  void budgetOneSelectsOne(String name) {
    PoolView pool = pool(30, 4, 2, 2);
    assertValid(pool, strategy(name).select(pool, 1, 0), 1);
  }

  @ParameterizedTest
  @MethodSource("names")
  void budgetAbovePoolSelectsWholeEligiblePool(String name) {
    PoolView pool = pool(30, 5, 4, 3);
    Selection s = strategy(name).select(pool, 1000, 0);
    assertValid(pool, s, 23);
    Set<Integer> expected = IntStream.range(0, 30).filter(pool::eligible).boxed().collect(Collectors.toSet());
    assertEquals(expected, Arrays.stream(s.rows()).boxed().collect(Collectors.toSet()));
  }

  @ParameterizedTest
  @MethodSource("names")
  void poolOfOneRow(String name) {
    PoolView pool = pool(1, 6, 0, 0);
    assertArrayEquals(new int[] {0}, strategy(name).select(pool, 3, 0).rows());
  }

  @ParameterizedTest
  @MethodSource("names")
  void poolOfTwoRows(String name) {
    PoolView pool = pool(2, 7, 0, 0);
    assertValid(pool, strategy(name).select(pool, 1, 0), 1);
    assertValid(pool, strategy(name).select(pool, 2, 0), 2);
  }

  @ParameterizedTest
  @MethodSource("names")
  void copesWithClassesNeverPredicted(String name) {
    PoolView pool = pool(60, 8, 0, 0);
    Selection s = strategy(name).select(pool, 10, 1);
    assertValid(pool, s, 10);
    for (float[] v : s.rowScores().values()) {
      for (int r = 0; r < v.length; r++) assertTrue(Float.isFinite(v[r]), "score of row " + r);
    }
  }
}
