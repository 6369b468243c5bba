package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.ExactNeighbors;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool's maintained lists are the lists computed from scratch, however arrivals and labels interleave. */
class PoolIndexTest {
  private static final int DIM = 64;
  private static final int ROWS = 400;
  private static final int K = 10;
  private static final BlockProduct CPU = new BlockProduct(io.alvlm.selection.Compute.cpu());
  private static float[] features;
  private static float[] text;
  private static final List<String> CLASSES = IntStream.range(0, 20).mapToObj(i -> "c" + i).toList();

  @BeforeAll
  static void load() throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
    text = Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")).data();
  }

  private static float[] vector(int i) {
    return Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM);
  }

  /** Images arrive in bursts folded in batches of {@code batch}; some are labelled or pending in between. */
  private static PoolIndex pool(int batch) {
    PoolIndex index = new PoolIndex(DIM, K);
    for (int i = 0; i < ROWS; i++) {
      index.place("img" + i, index.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
      if (i % 9 == 0 && i > 0) index.setStatus(i - 5, PoolStatus.LABELED, 3);
      if (i % 13 == 4) index.setStatus(i, PoolStatus.PENDING, -1);
      if (i % 37 == 0) index.maintain(batch, CPU);
    }
    while (!index.current()) index.maintain(batch, CPU);
    return index;
  }

  private static void assertListsAreExact(PoolIndex index) {
    PoolView v = index.snapshot(text, 20, 100f);
    int[] members = IntStream.range(0, v.rows()).filter(v::unlabelledPool).toArray();
    var scratch = ExactNeighbors.compute(v.features().toArray(), DIM, members, K);
    var maintained = v.neighbors().orElseThrow();
    for (int r = 0; r < v.rows(); r++) {
      assertArrayEquals(scratch.neighbors(r), maintained.neighbors(r), "neighbours of row " + r);
      assertArrayEquals(scratch.similarities(r), maintained.similarities(r), 1e-6f, "similarities of row " + r);
    }
  }

  @Test
  void foldJobsOnAnotherThreadWhileRowsArriveAndAreLabelledStillGiveExactLists() throws Exception {
    PoolIndex index = new PoolIndex(DIM, K);
    var worker = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      int jobs = 0;
      for (int i = 0; i < ROWS; ) {
        var job = index.startFold(50, CPU);
        var running = job.map(j -> java.util.concurrent.CompletableFuture.supplyAsync(j, worker));
        assertEquals(job.isPresent(), index.folding());
        // while the job owns the lists, rows go on arriving and being labelled on this thread
        for (int end = Math.min(ROWS, i + 37); i < end; i++) {
          index.place("img" + i, index.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
          if (i % 9 == 0 && i > 0) index.setStatus(i - 5, PoolStatus.LABELED, 3);
        }
        if (running.isPresent()) {
          assertFalse(index.current(), "a job is out");
          index.finishFold(running.get().get());
          jobs++;
        }
      }
      while (!index.current()) index.maintain(50, CPU);
      assertTrue(jobs > 5, jobs + " jobs ran");
      assertTrue(index.count(PoolStatus.LABELED) > 30);
      assertListsAreExact(index);
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  void aFoldLeavesTheArrivalsWaitingForLaterJobsAlone() {
    PoolIndex index = new PoolIndex(DIM, K);
    for (int i = 0; i < 200; i++) index.place("img" + i, index.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
    BitSet changed = index.maintain(20, CPU);
    // the first 20 are folded among themselves; the 180 behind them get their lists from their own jobs
    assertEquals(IntStream.range(0, 20).boxed().toList(), changed.stream().boxed().toList());
    assertEquals(180, index.unfolded());
    assertEquals(20L * DIM, index.workPerFold(), "a fold scans the 20 rows with lists, not the 180 waiting behind them");
    while (!index.current()) index.maintain(20, CPU);
    assertListsAreExact(index);
  }

  @Test
  void anAbandonedFoldLosesNoRowAndTheListsStayOwnedUntilHandedBack() {
    PoolIndex index = new PoolIndex(DIM, K);
    for (int i = 0; i < 120; i++) index.place("img" + i, index.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
    index.maintain(60, CPU);
    index.setStatus(3, PoolStatus.LABELED, 1);
    assertTrue(index.startFold(100, CPU).isPresent());
    assertEquals(60, index.unfolded(), "the job's rows count as unfolded while it runs");
    assertThrows(IllegalStateException.class, () -> index.snapshot(text, 20, 100f));
    assertThrows(IllegalStateException.class, () -> index.encodedList(0));
    assertThrows(IllegalStateException.class, () -> index.startFold(100, CPU));
    index.abandonFold(); // the job failed: never run
    assertFalse(index.folding());
    assertEquals(60, index.unfolded());
    assertFalse(index.current(), "row 3's departure still waits for its repair");
    while (!index.current()) index.maintain(100, CPU);
    assertListsAreExact(index);
  }

  @Test
  void listsMaintainedInBatchesEqualListsFromScratch() {
    for (int batch : new int[] {1, 7, 64}) {
      PoolIndex index = pool(batch);
      assertTrue(index.count(PoolStatus.LABELED) > 30 && index.count(PoolStatus.PENDING) > 20);
      assertListsAreExact(index);
    }
  }

  @Test
  void aRoundOnTheSnapshotEqualsOneFromScratch() {
    PoolIndex index = pool(16);
    Strategy cec = Strategies.create("cec", Map.of());
    PoolView maintained = index.snapshot(text, 20, 100f);
    PoolView scratch = new PoolView(maintained.features(), maintained.rows(), DIM, text, 20, 100f, maintained.status(),
        maintained.labels(), Optional.empty(), Optional.empty());
    Selection a = cec.select(maintained, 15, 7);
    Selection b = cec.select(scratch, 15, 7);
    for (String part : List.of("entropy", "calibrated_entropy", "neighbor_entropy", "uncertainty")) {
      assertArrayEquals(b.rowScores().get(part), a.rowScores().get(part), 1e-5f, part);
    }
    assertArrayEquals(b.rows(), a.rows());
  }

  @Test
  void rowsAreArrivalOrderAndListsSurviveARestoreWithoutRecomputation() {
    PoolIndex index = pool(32);
    PoolIndex restored = new PoolIndex(DIM, K);
    for (int r = 0; r < index.size(); r++) {
      PoolStatus s = index.status(r);
      restored.place(index.id(r), r, vector(r), s, s == PoolStatus.LABELED ? 3 : -1, index.encodedList(r));
      assertEquals("img" + r, index.id(r));
    }
    restored.restored();
    assertTrue(restored.current(), "a restore with every list stored folds nothing");
    PoolView a = index.snapshot(text, 20, 100f);
    PoolView b = restored.snapshot(text, 20, 100f);
    for (int r = 0; r < a.rows(); r++) {
      assertArrayEquals(a.neighbors().orElseThrow().neighbors(r), b.neighbors().orElseThrow().neighbors(r));
    }
    Strategy cec = Strategies.create("cec", Map.of());
    assertArrayEquals(cec.select(a, 12, 3).rows(), cec.select(b, 12, 3).rows());
  }

  @Test
  void aLabelCommittedBeforeItsRepairIsRepairedAfterARestore() {
    PoolIndex index = pool(32);
    int victim = index.snapshot(text, 20, 100f).neighbors().orElseThrow().neighbors(1)[0];
    byte[][] stored = new byte[index.size()][];
    for (int r = 0; r < stored.length; r++) stored[r] = index.encodedList(r);
    // the label reached the store, the repaired lists did not
    PoolIndex restored = new PoolIndex(DIM, K);
    for (int r = 0; r < stored.length; r++) {
      PoolStatus s = r == victim ? PoolStatus.LABELED : index.status(r);
      restored.place(index.id(r), r, vector(r), s, -1, stored[r]);
    }
    restored.restored();
    assertFalse(restored.current());
    BitSet changed = restored.maintain(64, CPU);
    assertTrue(changed.get(1), "row 1 held the labelled row and was repaired");
    assertTrue(restored.current());
    assertListsAreExact(restored);
  }

  @Test
  void foldWorkIsBoundedByTheBatch() {
    PoolIndex index = new PoolIndex(DIM, K);
    for (int i = 0; i < 100; i++) index.place("img" + i, i, vector(i), PoolStatus.UNLABELED, -1, null);
    index.maintain(30, CPU);
    assertEquals(70, index.unfolded());
    assertFalse(index.current());
  }
}
