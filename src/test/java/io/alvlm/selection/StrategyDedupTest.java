package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What near-duplicate suppression does to every strategy on a pool with bursts of near-copies. */
class StrategyDedupTest {
  private static final double COSINE = 0.97;
  /** 200 base rows, 10 bursts of 30 copies of the most uncertain rows. */
  private static final BurstPool POOL = new BurstPool(200, 10, 30, 11);

  static Stream<String> names() {
    return Stream.concat(Strategies.NAMES.stream(), Stream.of("pcb:cec"));
  }

  /** One k-means init for CEC: the test is about which rows, not how well they cluster. */
  private static Strategy plain(String name) {
    return Strategies.create(name, name.endsWith("cec") ? Map.of("inits", "1") : Map.of());
  }

  private static Strategy dedup(String name) {
    return Strategies.deduplicated(plain(name), COSINE);
  }

  private static void assertNoTwoPicksAreCopies(PoolView v, int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      for (int j = i + 1; j < rows.length; j++) {
        double s = v.features().dot(rows[i], rows[j]);
        assertTrue(s < COSINE, "picks " + rows[i] + " and " + rows[j] + " at cosine " + s);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void neverPicksTwoNearCopies(String name) {
    PoolView v = BurstPool.withLists(POOL.view(new int[0], new int[0]), 10);
    Selection s = dedup(name).select(v, 24, 5);
    assertEquals(24, s.picks().size());
    assertNoTwoPicksAreCopies(v, s.rows());
  }

  @ParameterizedTest
  @MethodSource("names")
  void neverPicksACopyOfALabelledOrPendingRow(String name) {
    // one row of each burst labelled, another pending: no other copy of any burst may be asked
    int[] labelled = IntStream.range(0, 10).map(b -> 200 + 30 * b).toArray();
    int[] pending = IntStream.range(0, 10).map(b -> 201 + 30 * b).toArray();
    PoolView v = BurstPool.withLists(POOL.view(labelled, pending), 10);
    Selection s = dedup(name).select(v, 24, 6);
    for (int r : s.rows()) {
      assertTrue(v.eligible(r));
      for (int h : IntStream.concat(IntStream.of(labelled), IntStream.of(pending)).toArray()) {
        assertTrue(v.features().dot(r, h) < COSINE, name + " asked " + r + ", a copy of held row " + h);
      }
    }
    assertNoTwoPicksAreCopies(v, s.rows());
  }

  @ParameterizedTest
  @MethodSource("names")
  void holdsWithoutNeighbourListsToo(String name) {
    PoolView v = POOL.view(new int[] {200}, new int[] {230});
    Selection s = dedup(name).select(v, 24, 7);
    assertEquals(24, s.picks().size());
    assertNoTwoPicksAreCopies(v, s.rows());
    for (int r : s.rows()) assertTrue(v.features().dot(r, 200) < COSINE && v.features().dot(r, 230) < COSINE);
  }

  @Test
  void marginWithoutDedupAsksForBurstsAndWithItTurnsThemDown() {
    PoolView v = BurstPool.withLists(POOL.view(new int[0], new int[0]), 10);
    int[] plain = Strategies.create("margin", Map.of()).select(v, 40, 1).rows();
    long burstPicks = Arrays.stream(plain).filter(r -> POOL.source[r] >= 0).count();
    assertTrue(burstPicks > 10, "margin alone asked " + burstPicks + " burst rows");
    Selection s = dedup("margin").select(v, 40, 1);
    assertFalse(s.duplicates().isEmpty());
    for (NearCopy c : s.duplicates()) {
      assertTrue(c.cosine() >= COSINE && v.features().dot(c.row(), c.of()) >= COSINE, c.toString());
      assertFalse(Arrays.stream(s.rows()).anyMatch(r -> r == c.row()), "turned down and asked: " + c);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void changesNothingOnAPoolWithoutNearCopies(String name) {
    PoolView v = BurstPool.withLists(new BurstPool(120, 0, 0, 3).view(new int[] {1, 2}, new int[] {3}), 10);
    assertArrayEquals(plain(name).select(v, 12, 9).rows(), dedup(name).select(v, 12, 9).rows());
  }

  @Test
  void returnsFewerOnlyWhenTheRestAreCopies() {
    // one base row and a burst of its copies: only one image is worth asking
    BurstPool p = new BurstPool(1, 1, 20, 4);
    PoolView v = BurstPool.withLists(p.view(new int[0], new int[0]), 5);
    assertEquals(1, dedup("random").select(v, 10, 0).picks().size());
  }

  @Test
  void twinsWalkAWholeBurstThroughShortLists() {
    PoolView v = BurstPool.withLists(POOL.view(new int[0], new int[0]), 3);
    NearCopies copies = new NearCopies(v, COSINE);
    Set<Integer> twins = copies.twins(4, r -> true, 4).stream().map(NearCopy::row).collect(Collectors.toSet());
    Set<Integer> burst = IntStream.range(230, 260).boxed().collect(Collectors.toSet());
    assertEquals(burst, twins);
    // the scan without lists finds the same rows
    Set<Integer> scanned = new NearCopies(POOL.view(new int[0], new int[0]), COSINE).twins(4, r -> true).stream()
        .map(NearCopy::row).collect(Collectors.toSet());
    assertEquals(burst, scanned);
  }

  @Test
  void nearestFindsTheClosestHeldRowAboveTheThreshold() {
    PoolView v = POOL.view(new int[0], new int[0]);
    NearCopy[] n = new NearCopies(v, COSINE).nearest(new int[] {205, 7}, new int[] {0, 206, 207, 3});
    assertTrue(n[0] != null && (n[0].of() == 0 || n[0].of() == 206 || n[0].of() == 207));
    assertEquals(IntStream.of(0, 206, 207).mapToDouble(r -> v.features().dot(205, r)).max().getAsDouble(), n[0].cosine(), 1e-9);
    assertNull(n[1]);
  }

  @Test
  void refusesAThresholdOutsideZeroToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.deduplicated(Strategies.create("random", Map.of()), 1.5));
    assertTrue(e.getMessage().contains("query.dedup.cosine=1.5"), e.getMessage());
  }
}
