package io.alvlm.stream;

import io.alvlm.config.Settings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB store of the process: one block cache of
 * {@link Settings#STATE_ROCKSDB_MEMORY} bytes shared by all stores, which also holds their index and
 * filter blocks and is charged for their memtables (a write-buffer manager allowed half of it). Without
 * it each store has its own 50 MiB block cache, up to three 16 MiB memtables and unbounded index and
 * filter blocks, so memory grows with the number of stores and the data (a million-image pool store
 * holds 2 GB).
 *
 * <p>Kafka Streams creates one setter per store and calls {@link #setConfig} with the application's
 * configuration; the cache and manager of a size are created once per process and never closed (every
 * store of the process shares them for its lifetime).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
  /** The key the size is read from: the setting's own, which the service passes to Streams. */
  public static final String KEY = Settings.STATE_ROCKSDB_MEMORY.key();

  private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

  record Shared(Cache cache, WriteBufferManager writeBuffers) {
    static Shared of(long bytes) {
      Cache cache = new LRUCache(bytes, -1, false, 0.1);
      return new Shared(cache, new WriteBufferManager(bytes / 2, cache));
    }
  }

  /** The cache and manager that stores configured for {@code bytes} share (created on first use). */
  static Shared shared(long bytes) {
    if (bytes < 1) throw new IllegalArgumentException(Settings.STATE_ROCKSDB_MEMORY.key() + " must be >= 1, got " + bytes);
    return SHARED.computeIfAbsent(bytes, Shared::of);
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object v = configs.get(KEY);
    long bytes = v == null ? Long.parseLong(Settings.STATE_ROCKSDB_MEMORY.defaultValue()) : Long.parseLong(v.toString().trim());
    Shared s = shared(bytes);
    BlockBasedTableConfig table = options.tableFormatConfig() instanceof BlockBasedTableConfig t ? t : new BlockBasedTableConfig();
    table.setBlockCache(s.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(s.writeBuffers());
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and the manager are the process's: other stores still use them
  }
}
