package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.Compute;
import io.alvlm.selection.ExactNeighbors;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.MaintainedNeighbors;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cells that grow with the pool (cec.neighbors.cells.per-sqrt): more cells are trained and filled in
 * steps while the scans go on probing the old ones and rows keep arriving; every list stays valid
 * throughout, the scans switch over once every row is filed, recall holds against exact lists on a
 * sample, and the stored lists are re-stamped with the new cells.
 */
class CellGrowthTest {
  private static final int DIM = 64;
  private static final int K = 10;
  private static final BlockProduct CPU = new BlockProduct(Compute.cpu());
  /** 8 cells at least, √members / 2 as the pool grows: 9 cells at the switch, 18 past 1,296 members. */
  private static final NeighborSearch GROWING = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 8, 2, Long.MAX_VALUE, 0.5);
  private static float[] features;

  @BeforeAll
  static void load() throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
  }

  private static int members(PoolIndex index) {
    return index.count(PoolStatus.UNLABELED) + index.count(PoolStatus.PENDING);
  }

  /** Lists checked while more cells were being filled. */
  private int checkedWhileFilling;

  /**
   * A fold step, then what the processor does with trained cells (trained inline here): installed for
   * the next steps; the lists checked whenever they are current.
   */
  private void step(PoolIndex index) {
    index.maintain(64, CPU);
    if (index.wantsCells()) {
      index.installCells(CellIndex.train(index.cellTrainingSample(1), DIM, GROWING.cellsFor(members(index)), 1,
          Compute.Settings.defaults()));
    } else if (index.wantsMoreCells()) {
      index.installMoreCells(CellIndex.train(index.cellTrainingSample(2), DIM, GROWING.cellsFor(members(index)), 2,
          Compute.Settings.defaults()));
    }
    if (index.current()) {
      assertListsValid(index);
      if (index.growth().next() != null) checkedWhileFilling++;
    }
  }

  /** Every list: members only, not the row itself, no repeats, at most k, most similar first, similarities as stored. */
  private static void assertListsValid(PoolIndex index) {
    PoolView v = index.snapshot(new float[20 * DIM], 20, 100f);
    for (int r = 0; r < v.rows(); r++) {
      int[] got = v.neighbors().orElseThrow().neighbors(r);
      float[] sims = v.neighbors().orElseThrow().similarities(r);
      assertTrue(got.length <= K);
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < got.length; i++) {
        assertTrue(v.unlabelledPool(got[i]) && got[i] != r && seen.add(got[i]), "row " + r + " lists " + got[i]);
        if (i > 0) assertTrue(sims[i] <= sims[i - 1], "row " + r + " out of order");
        double dot = 0;
        for (int d = 0; d < DIM; d++) dot += (double) index.features(r)[d] * index.features(got[i])[d];
        assertEquals(dot, sims[i], 1e-5, "row " + r + " similarity to " + got[i]);
      }
    }
  }

  @Test
  void aResplitKeepsEveryListValidSwitchesOverAndRestampsTheLists() {
    PoolIndex index = new PoolIndex(DIM, K, GROWING, FeaturePrecision.FP32); // fp32 rows: similarities checked to 1e-5
    boolean sawFilling = false;
    for (int i = 0; i < 2000; i++) {
      index.place("img" + i, index.nextRow(), Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM), PoolStatus.UNLABELED,
          -1, null);
      if (i % 9 == 0 && i > 3) index.setStatus(i - 3, PoolStatus.LABELED, 1);
      if (i % 50 == 49) {
        sawFilling |= index.neighborSearch().contains("filing");
        step(index);
      }
    }
    while (!index.current() || index.growth().busy()) step(index);
    assertListsValid(index);
    assertTrue(sawFilling, "rows arrived while the more cells were being filled");
    assertTrue(checkedWhileFilling > 0, "lists checked while the more cells were being filled");
    assertEquals("approximate (18 cells, nprobe 3)", index.neighborSearch(), "re-split once, nprobe 2 · √(18/8) rounded");
    CellIndex cells = index.cells().orElseThrow();
    for (int r = 0; r < index.size(); r++) {
      int cell = MaintainedNeighbors.cellOf(index.encodedList(r));
      assertEquals(cells.cellOf(r), cell, "row " + r + " filed and stamped with its cell");
      assertTrue(cell >= 0 && cell < 18);
    }
    assertEquals(Integer.MAX_VALUE, index.growth().stampedBelow(), "every list re-stamped");
    assertTrue(recallOnASample(index) >= 0.9, "recall@10 on a sample against exact lists");
  }

  @Test
  void aFixedCellCountNeverResplits() {
    NeighborSearch fixed = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 8, 2, Long.MAX_VALUE);
    assertEquals(8, fixed.cellsFor(1_000_000));
    assertFalse(fixed.wantsMoreCells(1_000_000, 8));
    // about 4·√N: 4,000 cells at a million, 12,650 at ten million
    NeighborSearch four = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 1024, 24, Long.MAX_VALUE, 4);
    assertEquals(1024, four.cellsFor(40_000));
    assertEquals(4000, four.cellsFor(1_000_000));
    assertTrue(four.wantsMoreCells(1_000_000, 1024));
    assertFalse(four.wantsMoreCells(1_000_000, 2048));
    assertEquals(24, four.nprobeFor(1024));
    assertEquals(48, four.nprobeFor(4096));
  }

  private static double recallOnASample(PoolIndex index) {
    PoolView v = index.snapshot(new float[20 * DIM], 20, 100f);
    int[] members = IntStream.range(0, v.rows()).filter(v::unlabelledPool).toArray();
    NeighborTable exact = ExactNeighbors.compute(v.features().toArray(), DIM, members, K);
    Random rnd = new Random(5);
    double hits = 0, total = 0;
    for (int s = 0; s < 300; s++) {
      int r = members[rnd.nextInt(members.length)];
      int[] got = v.neighbors().orElseThrow().neighbors(r);
      for (int want : exact.neighbors(r)) {
        total++;
        if (Arrays.stream(got).anyMatch(g -> g == want)) hits++;
      }
    }
    return hits / total;
  }
}
