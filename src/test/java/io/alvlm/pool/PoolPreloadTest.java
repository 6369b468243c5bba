package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.PoolEntry;
import io.alvlm.config.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bench pool --preload}'s state against an ingested pool's, both on the real pool sub-topology
 * (TopologyTestDriver, workers inline): 1,700 images preloaded ({@link PoolPreload}) leave the
 * records the pool's processor leaves for the same arrivals, store by store: entries, counters,
 * lists and centroids (so a pool restored from either is the same pool).
 */
class PoolPreloadTest {
  private static final int PRELOADED = 1700;
  private static final int DIM = PoolEngineTest.DIM;
  @TempDir Path dir;

  /** The records a store holds, in key order (a list as its bytes' text, an entry as itself: Avro compares every field). */
  private static <K extends Comparable<K>, V> Map<K, Object> records(KeyValueStore<K, V> store) {
    Map<K, Object> out = new TreeMap<>();
    try (KeyValueIterator<K, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<K, V> kv = it.next();
        out.put(kv.key, kv.value instanceof byte[] b ? Arrays.toString(b) : kv.value);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.alvlm.pool.PoolEngineTest#searches")
  void aPreloadedPoolHoldsTheStoresAndListsOfAnIngestedOne(String search, Map<String, String> settings) throws Exception {
    float[] x = PoolEngineTest.features();
    Path ingestedDir = Files.createDirectory(dir.resolve("ingested"));
    Path preloadedDir = Files.createDirectory(dir.resolve("preloaded"));
    try (PoolDriver ingested = new PoolDriver(ServiceConfig.of(PoolEngineTest.settings(settings, ingestedDir)))) {
      ingested.arrive(x, 0, PRELOADED);
      ingested.tick(200);

      ServiceConfig preloadedConfig = ServiceConfig.of(PoolEngineTest.settings(settings, preloadedDir));
      try (PoolDriver first = new PoolDriver(preloadedConfig)) {
        KeyValueStore<String, PoolEntry> pool = first.pool();
        KeyValueStore<String, Long> meta = first.meta();
        KeyValueStore<Integer, byte[]> neighbors = first.neighbors();
        PoolPreload.Folded folded = PoolPreload.write(preloadedConfig, DIM, PRELOADED,
            i -> PoolDriver.embedding("img" + i, Arrays.copyOfRange(x, i * DIM, (i + 1) * DIM), DIM),
            PoolDriver.START.toEpochMilli(), new PoolPreload.Stores() {
              @Override
              public void entry(String id, PoolEntry e) {
                pool.put(id, e);
              }

              @Override
              public void meta(String key, long value) {
                meta.put(key, value);
              }

              @Override
              public void neighbors(int key, byte[] value) {
                neighbors.put(key, value);
              }
            });
        assertTrue(folded.search().startsWith(search.startsWith("exact") ? "exact" : "approximate ("), folded.search());
        assertEquals(records(ingested.pool()), records(pool), "the pool store");
        assertEquals(records(ingested.meta()), records(meta), "the meta store");
        Map<Integer, Object> lists = records(neighbors);
        assertEquals(records(ingested.neighbors()), lists, "the neighbour store: lists and centroids");
        assertEquals(PRELOADED + (search.startsWith("exact") ? 0 : 18), lists.size(), "a list per row, a centroid per cell");
      }
    }
  }
}
