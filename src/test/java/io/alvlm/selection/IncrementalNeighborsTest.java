package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncrementalNeighborsTest {
  private static final CecFixture FX = CecFixture.load();

  private static float[] row(PoolView p, int r) {
    return Arrays.copyOfRange(p.features(), r * p.dim(), (r + 1) * p.dim());
  }

  @Test
  void listsBuiltOnArrivalEqualListsFromScratch() {
    PoolView p = FX.pool();
    IncrementalNeighbors inc = new IncrementalNeighbors(p.dim(), 10, 4);
    for (int r = p.rows() - 1; r >= 0; r--) inc.add(r, row(p, r)); // arrival order differs from row order
    NeighborTable exact = ExactNeighbors.compute(p.features(), p.dim(), IntStream.range(0, p.rows()).toArray(), 10);
    for (int r = 0; r < p.rows(); r++) {
      assertArrayEquals(exact.neighbors(r), inc.neighbors(r), "row " + r);
      assertArrayEquals(exact.similarities(r), inc.similarities(r), 0f, "row " + r);
    }
  }

  @Test
  void removedRowsLeaveEveryList() {
    PoolView p = FX.pool();
    boolean[] all = new boolean[p.rows()];
    Arrays.fill(all, true);
    IncrementalNeighbors inc = IncrementalNeighbors.of(p.features(), p.dim(), all, 10);
    int[] gone = IntStream.range(0, p.rows()).filter(r -> r % 7 == 0).toArray();
    for (int r : gone) inc.remove(r);
    int[] kept = IntStream.range(0, p.rows()).filter(r -> r % 7 != 0).toArray();
    NeighborTable exact = ExactNeighbors.compute(p.features(), p.dim(), kept, 10);
    for (int r : kept) assertArrayEquals(exact.neighbors(r), inc.neighbors(r), "row " + r);
    assertEquals(0, inc.neighbors(gone[0]).length);
    assertEquals(kept.length, inc.size());
  }

  @Test
  void smallPoolsHaveShorterLists() {
    IncrementalNeighbors inc = new IncrementalNeighbors(2, 3, 0);
    inc.add(5, new float[] {1, 0});
    assertEquals(0, inc.neighbors(5).length);
    inc.add(9, new float[] {0, 1});
    assertArrayEquals(new int[] {9}, inc.neighbors(5));
    assertArrayEquals(new int[] {5}, inc.neighbors(9));
  }

  @Test
  void cecWithMaintainedListsGivesTheSameNeighbourEntropyAsFromScratch() {
    PoolView p = FX.pool();
    PoolStatus[] status = p.status().clone();
    int[] labels = p.labels().clone();
    for (int r = 0; r < p.rows(); r += 10) {
      status[r] = PoolStatus.LABELED;
      labels[r] = 0;
    }
    for (int r = 5; r < p.rows(); r += 50) status[r] = PoolStatus.PENDING;
    PoolView partial = new PoolView(p.features(), p.rows(), p.dim(), p.classText(), p.classes(), p.logitScale(),
        status, labels, java.util.Optional.empty(), Optional.empty());
    boolean[] inPool = new boolean[p.rows()];
    for (int r = 0; r < p.rows(); r++) inPool[r] = partial.unlabelledPool(r);
    IncrementalNeighbors inc = IncrementalNeighbors.of(p.features(), p.dim(), inPool, 10);
    CecStrategy cec = new CecStrategy(CecStrategy.Settings.defaults());
    Selection scratch = cec.select(partial, 20, 0);
    Selection maintained = cec.select(partial.withNeighbors(inc), 20, 0);
    assertArrayEquals(scratch.rowScores().get("neighbor_entropy"), maintained.rowScores().get("neighbor_entropy"), 0f);
    assertArrayEquals(scratch.rows(), maintained.rows());
    assertEquals(Float.NaN, scratch.rowScores().get("uncertainty")[0]);
  }
}
