package io.alvlm.pool;

import io.alvlm.selection.CellIndex;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The changelogged {@code pool-neighbors} store (design rule 2, derived state is state): each row's
 * encoded neighbour list under the row (keys >= 0) and, once approximate search is on, each cell's
 * centroid under {@code -1 - cell}; while the lists are re-stamped after the cells grew
 * ({@link CellGrowth}), under {@link #STAMPED_BELOW} the row below which their cell numbers hold.
 */
final class NeighborStore implements NeighborWrites {
  static final String STORE = PoolStores.NEIGHBORS;
  /** Far below every centroid's key. */
  private static final int STAMPED_BELOW = Integer.MIN_VALUE;
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

  @Override
  public void putList(int row, byte[] list) {
    store.put(row, list);
  }

  /** The cells' centroids; empty when none were stored. */
  Optional<CellIndex> cells() {
    return CellIndex.read(c -> store.get(centroidKey(c)));
  }

  @Override
  public void putCells(CellIndex c) {
    centroids(c, store::put);
  }

  /** Hands each of the cells' centroids to {@code put} under its key in this store. */
  static void centroids(CellIndex c, BiConsumer<Integer, byte[]> put) {
    for (int i = 0; i < c.cells(); i++) put.accept(centroidKey(i), c.encodeCentroid(i));
  }

  @Override
  public int stampedBelow() {
    byte[] b = store.get(STAMPED_BELOW);
    return b == null ? Integer.MAX_VALUE : java.nio.ByteBuffer.wrap(b).getInt();
  }

  @Override
  public void putStampedBelow(int row) {
    if (row == Integer.MAX_VALUE) store.delete(STAMPED_BELOW);
    else store.put(STAMPED_BELOW, java.nio.ByteBuffer.allocate(4).putInt(row).array());
  }

  private static int centroidKey(int c) {
    return -1 - c;
  }
}
