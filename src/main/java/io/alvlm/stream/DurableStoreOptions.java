package io.alvlm.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;

/**
 * The RocksDB options of a {@link DurableStore}: Kafka Streams' defaults for its own stores (bloom filters, 4 KiB
 * blocks, 16 MiB memtables, three of them, universal compaction, no compression), then the application's
 * {@code rocksdb.config.setter} ({@link BoundedRocksDbMemory} here), as Kafka applies them. What differs is what the
 * store does with them: its writes go through the write-ahead log.
 */
record DurableStoreOptions(String store, RocksDBConfigSetter setter, Options all, DBOptions db, ColumnFamilyOptions data,
    ColumnFamilyOptions offsets, BloomFilter filter) implements AutoCloseable {

  static DurableStoreOptions of(String store, RocksDBConfigSetter setter, Map<String, Object> configs) {
    Options all = new Options();
    BloomFilter filter = new BloomFilter();
    BlockBasedTableConfig table = new BlockBasedTableConfig();
    table.setBlockSize(4096L);
    table.setFilterPolicy(filter);
    all.setTableFormatConfig(table);
    all.setOptimizeFiltersForHits(true);
    all.setWriteBufferSize(16L << 20);
    all.setMaxWriteBufferNumber(3);
    all.setCompactionStyle(CompactionStyle.UNIVERSAL);
    all.setCompressionType(CompressionType.NO_COMPRESSION);
    all.setCreateIfMissing(true);
    all.setCreateMissingColumnFamilies(true);
    all.setInfoLogLevel(InfoLogLevel.ERROR_LEVEL);
    all.setIncreaseParallelism(Math.max(Runtime.getRuntime().availableProcessors(), 2));
    // data and offsets reach the memtables in one batch; a flush keeps them together too
    all.setAtomicFlush(true);
    if (setter != null) setter.setConfig(store, all, configs);
    ColumnFamilyOptions offsets = new ColumnFamilyOptions();
    offsets.setWriteBufferSize(1L << 20);
    return new DurableStoreOptions(store, setter, all, new DBOptions(all), new ColumnFamilyOptions(all), offsets, filter);
  }

  @Override
  public void close() {
    if (setter != null) setter.close(store, all);
    db.close();
    data.close();
    offsets.close();
    all.close();
    filter.close();
  }
}
