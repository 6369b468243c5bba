package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolThreads;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pool.threads}: a fold job's scan split over several threads (ranges of rows while exact,
 * cells once approximate) leaves every list exactly as one thread does, through arrivals, labels
 * (repairs) and the switch to cells.
 */
class ThreadedFoldsTest {
  private static final int DIM = 64;
  private static final int K = 10;
  private static float[] features;

  @BeforeAll
  static void load() throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
  }

  /** The same arrivals, labels and fold steps, each fold's scan split over {@code threads}. */
  private static PoolIndex pool(NeighborSearch search, int rows, int threads) {
    BlockProduct products = new BlockProduct(Compute.cpu(), PoolThreads.of(threads));
    PoolIndex index = new PoolIndex(DIM, K, search, FeaturePrecision.AUTO);
    for (int i = 0; i < rows; i++) {
      index.place("img" + i, index.nextRow(), Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM), PoolStatus.UNLABELED,
          -1, null);
      if (i % 7 == 0 && i > 3) index.setStatus(i - 3, PoolStatus.LABELED, 1);
      if (i % 97 == 96) {
        if (index.wantsCells()) {
          index.installCells(CellIndex.train(index.cellTrainingSample(3), DIM, 16, 3, Compute.Settings.defaults()));
        }
        index.maintain(80, products);
      }
    }
    while (!index.current() || index.neighborSearch().contains("filing")) index.maintain(80, products);
    return index;
  }

  private static void sameLists(PoolIndex one, PoolIndex many) {
    assertEquals(one.size(), many.size());
    int listed = 0;
    for (int r = 0; r < one.size(); r++) {
      assertArrayEquals(one.encodedList(r), many.encodedList(r), "row " + r);
      if (one.encodedList(r).length > 4) listed++;
    }
    assertTrue(listed > one.size() / 2, "most rows hold a list: " + listed);
  }

  @Test
  void exactFoldsOverFourThreadsGiveTheListsOfOne() {
    sameLists(pool(NeighborSearch.exact(), 1500, 1), pool(NeighborSearch.exact(), 1500, 4));
  }

  @Test
  void approximateFoldsOverThreeThreadsGiveTheListsOfOne() {
    NeighborSearch approximate = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 16, 4, Long.MAX_VALUE);
    PoolIndex one = pool(approximate, 2000, 1);
    PoolIndex three = pool(approximate, 2000, 3);
    assertTrue(three.neighborSearch().startsWith("approximate"), three.neighborSearch());
    sameLists(one, three);
  }

  @Test
  void threadsParseAutoOrACountAndRefuseLess() {
    assertEquals(Runtime.getRuntime().availableProcessors(), PoolThreads.parse("auto").count());
    assertEquals(3, PoolThreads.parse(" 3 ").count());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> io.alvlm.config.Settings.POOL_THREADS.parse("0"));
    assertEquals("pool.threads=0: want auto or a whole number of threads >= 1", e.getMessage());
  }
}
