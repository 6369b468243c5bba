package io.alvlm.pool;

import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.selection.CellIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the pool's in-memory state from its stores at a task's start: every image at its stored
 * row with its stored neighbour list, so nothing is recomputed (one scan of each store), and the
 * deadlines of the pending requests, and the pseudo-labels with their sources. Images stored before rows were (row -1) follow in key order and
 * are folded in again.
 */
final class PoolRestore {
  private static final Logger LOG = LoggerFactory.getLogger(PoolRestore.class);

  private PoolRestore() {}

  static void restore(PoolState state, NeighborStore neighbors, DeadlineQueue deadlines) {
    long t0 = System.nanoTime();
    List<PoolEntry> unplaced = new ArrayList<>();
    List<PoolEntry> pseudo = new ArrayList<>();
    Optional<CellIndex> storedCells = neighbors.cells();
    byte[][] lists = neighbors.lists();
    int stamped = neighbors.stampedBelow();
    try (KeyValueIterator<String, PoolEntry> it = state.pool.all()) {
      while (it.hasNext()) {
        PoolEntry e = it.next().value;
        if (state.index() == null) storedCells.ifPresent(c -> state.index(e.getDim()).installCells(c));
        if (e.getRow() < 0) {
          unplaced.add(e);
        } else {
          byte[] list = e.getRow() < lists.length ? lists[e.getRow()] : null;
          // a list written before the cells grew names an old cell: its row is filed afresh
          place(state, e, list != null && e.getRow() >= stamped ? Arrays.copyOf(list, 4 + 8 * ByteBuffer.wrap(list).getInt()) : list);
          if (e.getRow() < lists.length) lists[e.getRow()] = null;
        }
        if (e.getPseudoFrom() != null) pseudo.add(e);
        if (e.getStatus() == ImageStatus.PENDING) {
          deadlines.add(new PendingRequest(e.getId(), e.getDeadline()));
        }
      }
    }
    for (PoolEntry e : unplaced) {
      e.setRow(state.index(e.getDim()).nextRow());
      state.pool.put(e.getId(), e);
      place(state, e, null);
    }
    PoolIndex index = state.index();
    for (PoolEntry e : pseudo) state.pseudo.add(index.row(e.getId()), index.row(e.getPseudoFrom()));
    if (index != null) {
      if (stamped != Integer.MAX_VALUE) index.growth().restampFrom(stamped);
      index.restored();
      LOG.info("pool restored: {} images at their rows, {} to fold into the neighbour lists, in {} ms", index.size(),
          index.unfolded(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static void place(PoolState state, PoolEntry e, byte[] lists) {
    state.index(e.getDim()).place(e.getId(), e.getRow(), PoolCodec.vector(e), PoolCodec.status(e.getStatus()),
        state.label(e.getClassName()), lists);
  }
}
