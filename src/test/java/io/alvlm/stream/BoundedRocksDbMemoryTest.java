package io.alvlm.stream;

import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Every RocksDB store of the process in one bounded cache, memtables charged to it (real RocksDB, real files). */
class BoundedRocksDbMemoryTest {
  private static final long BYTES = 8L << 20;

  @Test
  void theServiceConfiguresItsStoresWithTheSetterAndTheSetting() {
    Properties p = AlvlmService.streamsConfig(ServiceConfig.of(Map.of("state.rocksdb.memory.bytes", "67108864")));
    assertEquals(BoundedRocksDbMemory.class.getName(), p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    assertEquals("67108864", String.valueOf(p.get(BoundedRocksDbMemory.KEY)));
    assertEquals(String.valueOf(128L << 20), String.valueOf(AlvlmService.streamsConfig(ServiceConfig.defaults()).get(BoundedRocksDbMemory.KEY)));
  }

  @Test
  void twoStoresShareOneCacheThatTheirMemtablesAreChargedToAndThatStaysNearItsSize(@TempDir Path dir) throws Exception {
    RocksDB.loadLibrary();
    BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
    Map<String, Object> configs = Map.of(BoundedRocksDbMemory.KEY, String.valueOf(BYTES));
    Cache cache = BoundedRocksDbMemory.shared(BYTES).cache();
    try (Options a = new Options().setCreateIfMissing(true); Options b = new Options().setCreateIfMissing(true)) {
      setter.setConfig("a", a, configs);
      setter.setConfig("b", b, configs);
      BlockBasedTableConfig ta = (BlockBasedTableConfig) a.tableFormatConfig();
      assertTrue(ta.cacheIndexAndFilterBlocks(), "index and filter blocks live in the cache");
      long before = cache.getUsage();
      byte[] value = new byte[1024];
      try (RocksDB da = RocksDB.open(a, dir.resolve("a").toString()); RocksDB db = RocksDB.open(b, dir.resolve("b").toString())) {
        for (int i = 0; i < 1500; i++) da.put(key(i), value);
        long afterA = cache.getUsage();
        assertTrue(afterA >= before + 1_000_000, "1.5 MB in store a's memtable is charged to the cache: " + before + " -> " + afterA);
        for (int i = 0; i < 1500; i++) db.put(key(i), value);
        assertTrue(cache.getUsage() >= afterA + 1_000_000, "and store b's to the same cache: " + cache.getUsage());
        // four times the budget written: memtables are flushed to keep the charge within it
        for (int i = 0; i < 32_000; i++) da.put(key(i), value);
        assertTrue(cache.getUsage() <= 2 * BYTES, "cache usage " + cache.getUsage() + " for a budget of " + BYTES);
      }
    }
    assertSame(cache, BoundedRocksDbMemory.shared(BYTES).cache(), "one cache per size, for the process's life");
  }

  private static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }
}
