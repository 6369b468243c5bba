package io.alvlm.pool;

import io.alvlm.selection.CellIndex;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The changelogged {@code pool-neighbors} store (design rule 2, derived state is state): each row's
 * encoded neighbour list under the row (keys >= 0) and, once approximate search is on, each cell's
 * centroid under {@code -1 - cell}.
 */
final class NeighborStore {
  static final String STORE = "pool-neighbors";
  private final KeyValueStore<Integer, byte[]> store;

  NeighborStore(KeyValueStore<Integer, byte[]> store) {
    this.store = Objects.requireNonNull(store);
  }

  /** Every stored neighbour list by row, in one scan of the store (a lookup per image costs far more at a million). */
  byte[][] lists() {
    byte[][] lists = new byte[0][];
    try (KeyValueIterator<Integer, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        int row = kv.key;
        if (row < 0) continue; // a centroid
        if (row >= lists.length) lists = Arrays.copyOf(lists, Math.max(row + 1, lists.length + (lists.length >> 1) + 16));
        lists[row] = kv.value;
      }
    }
    return lists;
  }

  void putList(int row, byte[] list) {
    store.put(row, list);
  }

  /** The cells' centroids; empty when none were stored. */
  Optional<CellIndex> cells() {
    return CellIndex.read(c -> store.get(centroidKey(c)));
  }

  void putCells(CellIndex c) {
    for (int i = 0; i < c.cells(); i++) store.put(centroidKey(i), c.encodeCentroid(i));
  }

  private static int centroidKey(int c) {
    return -1 - c;
  }
}
