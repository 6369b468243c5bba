package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolThreads;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Cells that grew, through the neighbour store (real in-memory stores, the fold and cell workers
 * inline): the grown cells' centroids and re-stamped lists are stored, a restore reads them back
 * without refiling, and a restore from a re-stamp left half done (the store's mark below the last
 * row) files the rows from the mark on afresh, under the same cells, and then clears the mark.
 */
class GrownCellsRestoreTest {
  private static final int DIM = 64;
  private static final List<String> CLASSES = List.of("cat", "dog", "fox");
  private static final NeighborSearch GROWING = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 8, 2, Long.MAX_VALUE, 0.5);
  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
  private final ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());

  private <K, V> KeyValueStore<K, V> store(String name, org.apache.kafka.common.serialization.Serde<K> keys,
      org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<K, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    return s;
  }

  private NeighborMaintenance maintenance(PoolState state, NeighborStore store) {
    return new NeighborMaintenance(state::index, store, Worker.on(Runnable::run), Worker.on(Runnable::run),
        new NeighborMaintenance.Settings(64, Long.MAX_VALUE, GROWING, Compute.Settings.defaults(), 1, PoolThreads.of(2)),
        new SlowSteps(metrics));
  }

  @Test
  void grownCellsAreStoredAndAHalfDoneRestampIsFiledAfresh() throws Exception {
    float[] features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
    KeyValueStore<String, Long> meta = store(PoolMeta.STORE, Serdes.String(), Serdes.Long());
    KeyValueStore<String, PoolEntry> pool = store(PoolStores.POOL, Serdes.String(), AvroSerdes.singleObject().value(PoolEntry.class));
    NeighborStore lists = new NeighborStore(store(NeighborStore.STORE, Serdes.Integer(), Serdes.ByteArray()));
    PoolState state = new PoolState(pool, new PoolMeta(meta), CLASSES, 10, GROWING, FeaturePrecision.FP32);
    NeighborMaintenance m = maintenance(state, lists);
    for (int i = 0; i < 2000; i++) {
      float[] v = Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM);
      String id = "img" + i;
      int row = state.index(DIM).nextRow();
      pool.put(id, PoolEntry.newBuilder().setId(id).setUri("file:" + id).setVector(VectorBytes.float32(v)).setHalf(false)
          .setDim(DIM).setStatus(ImageStatus.UNLABELED).setArrivedAt(Instant.EPOCH).setRow(row).build());
      state.index().place(id, row, v, PoolStatus.UNLABELED, -1, null);
      if (i % 50 == 49) m.tick();
    }
    PoolIndex index = state.index();
    // cells first at the tick after 312 members (350: ⌈√350 / 2⌉ = 10 cells), then 20 past 1,521 members; nprobe 2·√(20/8) → 3
    for (int i = 0; i < 50 && (!index.current() || index.growth().busy() || index.wantsMoreCells()); i++) m.tick();
    assertEquals("approximate (20 cells, nprobe 3)", index.neighborSearch());
    assertEquals(20, lists.cells().orElseThrow().cells(), "the grown cells' centroids are stored");
    assertEquals(Integer.MAX_VALUE, lists.stampedBelow(), "every stored list re-stamped");

    PoolIndex again = restored(pool, meta, lists);
    assertEquals("approximate (20 cells, nprobe 3)", again.neighborSearch(), "read back, nothing refiled");
    for (int r = 0; r < index.size(); r++) assertArrayEquals(index.encodedList(r), again.encodedList(r), "row " + r);

    // a restart between the switch and the end of re-stamping: lists from row 1,200 on may name old cells
    lists.putStampedBelow(1200);
    PoolState half = new PoolState(pool, new PoolMeta(meta), CLASSES, 10, GROWING, FeaturePrecision.FP32);
    PoolRestore.restore(half, lists, new DeadlineQueue());
    assertTrue(half.index().neighborSearch().startsWith("exact, filing 800 rows into 20 cells"), half.index().neighborSearch());
    NeighborMaintenance resumed = maintenance(half, lists);
    for (int i = 0; i < 20 && (!half.index().current() || half.index().growth().busy()); i++) resumed.tick();
    assertEquals("approximate (20 cells, nprobe 3)", half.index().neighborSearch());
    assertEquals(Integer.MAX_VALUE, lists.stampedBelow(), "the mark is cleared once the lists are written again");
    for (int r = 0; r < index.size(); r++) {
      assertArrayEquals(index.encodedList(r), half.index().encodedList(r), "row " + r + " filed under the same cell, same list");
    }
  }

  private PoolIndex restored(KeyValueStore<String, PoolEntry> pool, KeyValueStore<String, Long> meta, NeighborStore lists) {
    PoolState s = new PoolState(pool, new PoolMeta(meta), CLASSES, 10, GROWING, FeaturePrecision.FP32);
    PoolRestore.restore(s, lists, new DeadlineQueue());
    return s.index();
  }
}
