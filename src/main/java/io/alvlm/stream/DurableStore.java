package io.alvlm.stream;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A persistent key-value store whose commits survive a crash of the process. Writes wait in {@link StagedWrites}
 * until Kafka Streams commits the task (its changelog transaction has committed), then reach RocksDB in one write
 * batch with the changelog offsets they reflect, through RocksDB's write-ahead log. After a SIGKILL the store holds
 * exactly its last commit and the offset of it, so a restart restores only the changelog records committed after it.
 *
 * <p>Why not Kafka Streams' own RocksDB store: in 4.4 it writes with the write-ahead log disabled, so even with
 * transactional state stores ({@code enable.transactional.statestores}) what it commits reaches the disk only when
 * a memtable flushes (16 MiB per store); a pool killed before that restores every changelog from its start. This
 * store keeps Kafka's layout (a default column family for the data, {@code offsets} for the changelog offsets keyed
 * by partition), so it opens a directory Kafka's store wrote and the other way round.
 *
 * <p>It relies on {@code enable.transactional.statestores=true}: with it, Kafka Streams neither wipes the store after
 * an unclean stop under exactly-once nor expects uncommitted writes on disk. Thread-safe: interactive queries read it
 * beside the stream thread.
 */
public final class DurableStore implements KeyValueStore<Bytes, byte[]> {
  static final String OFFSETS = "offsets";
  /** Kafka's marker of a store opened without transactions; "open" (1) means it may hold uncommitted writes. */
  private static final byte[] STATUS = "status".getBytes(StandardCharsets.UTF_8);

  private final String name;
  private final StagedWrites staged = new StagedWrites();
  private final Set<MergedIterator> iterators = new HashSet<>();
  private final Position position = Position.emptyPosition();
  private DurableStoreOptions options;
  private RocksDB db;
  private ColumnFamilyHandle data;
  private ColumnFamilyHandle offsets;
  private WriteOptions logged;
  private volatile boolean open;

  public DurableStore(String name) {
    this.name = name;
  }

  /** A supplier of this store, for {@code Stores.keyValueStoreBuilder}. */
  public static KeyValueBytesStoreSupplier supplier(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new DurableStore(name);
      }

      @Override
      public String metricsScope() {
        return "rocksdb-durable";
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void init(StateStoreContext context, StateStore root) {
    File dir = new File(new File(context.stateDir(), "rocksdb"), name);
    if (!dir.isDirectory() && !dir.mkdirs()) throw new ProcessorStateException("cannot create the store directory " + dir);
    options = DurableStoreOptions.of(name, setter(context.appConfigs()), context.appConfigs());
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      db = RocksDB.open(options.db(), dir.getAbsolutePath(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options.data()),
          new ColumnFamilyDescriptor(OFFSETS.getBytes(StandardCharsets.UTF_8), options.offsets())), handles);
      data = handles.get(0);
      offsets = handles.get(1);
      logged = new WriteOptions();
      byte[] status = db.get(offsets, STATUS);
      if (status != null && ByteBuffer.wrap(status).getLong() != 0) {
        // written by Kafka's non-transactional store and never closed: it may hold uncommitted writes
        closeNative();
        throw new TaskCorruptedException(Set.of(context.taskId()));
      }
    } catch (RocksDBException e) {
      closeNative();
      throw new ProcessorStateException("cannot open store " + name + " in " + dir + ": " + e.getMessage(), e);
    }
    open = true;
    context.register(root, (BatchingStateRestoreCallback) this::restore);
  }

  private static RocksDBConfigSetter setter(Map<String, Object> configs) {
    Object v = configs.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
    if (v == null) return null;
    try {
      Class<?> c = v instanceof Class<?> k ? k : Class.forName(v.toString().trim());
      return (RocksDBConfigSetter) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new ProcessorStateException(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG + "=" + v
          + ": not a RocksDBConfigSetter with a public no-argument constructor", e);
    }
  }

  /** Changelog records being restored: committed already, so they go to the database at once. */
  synchronized void restore(Collection<KeyValue<byte[], byte[]>> records) {
    try (WriteBatch batch = new WriteBatch()) {
      for (KeyValue<byte[], byte[]> r : records) {
        if (r.value == null) batch.delete(data, r.key);
        else batch.put(data, r.key, r.value);
      }
      db.write(logged, batch);
    } catch (RocksDBException e) {
      throw new ProcessorStateException("store " + name + ": restoring a batch failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void commit(Map<TopicPartition, Long> changelogOffsets) {
    if (!open) return;
    try (WriteBatch batch = new WriteBatch()) {
      staged.writeTo(batch, data);
      if (changelogOffsets.isEmpty()) {
        // Kafka's contract: no offsets (a store without a changelog, or a corrupted one) clears those kept
        try (RocksIterator it = db.newIterator(offsets)) {
          for (it.seekToFirst(); it.isValid(); it.next()) batch.delete(offsets, it.key());
        }
      }
      for (Map.Entry<TopicPartition, Long> e : changelogOffsets.entrySet()) {
        byte[] key = e.getKey().toString().getBytes(StandardCharsets.UTF_8);
        if (e.getValue() == null) batch.delete(offsets, key);
        else batch.put(offsets, key, ByteBuffer.allocate(Long.BYTES).putLong(e.getValue()).array());
      }
      db.write(logged, batch);
      staged.clear();
    } catch (RocksDBException e) {
      throw new ProcessorStateException("store " + name + ": commit failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Long committedOffset(TopicPartition partition) {
    try {
      byte[] v = db.get(offsets, partition.toString().getBytes(StandardCharsets.UTF_8));
      return v == null ? null : ByteBuffer.wrap(v).getLong();
    } catch (RocksDBException e) {
      throw new ProcessorStateException("store " + name + ": reading its changelog offset failed: " + e.getMessage(), e);
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public boolean managesOffsets() {
    return true;
  }

  @Override
  public long approximateNumUncommittedBytes() {
    synchronized (this) {
      return staged.bytes();
    }
  }

  @Override
  public synchronized void put(Bytes key, byte[] value) {
    checkOpen();
    staged.put(Objects.requireNonNull(key, "key"), value);
  }

  @Override
  public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = get(key);
    if (old == null) put(key, value);
    return old;
  }

  @Override
  public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    for (KeyValue<Bytes, byte[]> e : entries) put(e.key, e.value);
  }

  @Override
  public synchronized byte[] delete(Bytes key) {
    byte[] old = get(key);
    put(key, null);
    return old;
  }

  @Override
  public synchronized byte[] get(Bytes key) {
    checkOpen();
    return staged.contains(key) ? staged.get(key) : committed(key);
  }

  /** The committed value of {@code key}, without the staged writes. */
  synchronized byte[] committed(Bytes key) {
    checkOpen();
    try {
      return db.get(data, key.get());
    } catch (RocksDBException e) {
      throw new ProcessorStateException("store " + name + ": get failed: " + e.getMessage(), e);
    }
  }

  /** Reads with the staged writes for {@code READ_UNCOMMITTED} (this store), without them for {@code READ_COMMITTED}. */
  @Override
  public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
    return isolationLevel == IsolationLevel.READ_COMMITTED ? new CommittedReads(this) : this;
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return iterator(from, to, true, true);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return iterator(from, to, false, true);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return iterator(null, null, true, true);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return iterator(null, null, false, true);
  }

  synchronized KeyValueIterator<Bytes, byte[]> iterator(Bytes from, Bytes to, boolean forward, boolean withStaged) {
    checkOpen();
    // an inverted range: Kafka's stores answer it with nothing, which the iterator's bounds give
    boolean inverted = from != null && to != null && from.compareTo(to) > 0;
    MergedIterator it = new MergedIterator(db.newIterator(data), inverted || !withStaged ? List.of()
        : staged.copy(from, to, forward), from, to, forward, this::closed);
    iterators.add(it);
    return it;
  }

  private synchronized void closed(MergedIterator it) {
    iterators.remove(it);
  }

  @Override
  public synchronized long approximateNumEntries() {
    checkOpen();
    try {
      return db.getLongProperty(data, "rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      throw new ProcessorStateException("store " + name + ": counting entries failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Position getPosition() {
    return position;
  }

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Closes the store; writes staged since the last commit are dropped, as an aborted transaction's. */
  @Override
  public synchronized void close() {
    if (!open) return;
    open = false;
    for (MergedIterator it : new ArrayList<>(iterators)) it.close();
    staged.clear();
    closeNative();
  }

  private void closeNative() {
    if (data != null) data.close();
    if (offsets != null) offsets.close();
    if (db != null) db.close();
    if (logged != null) logged.close();
    if (options != null) options.close();
    data = offsets = null;
    db = null;
    logged = null;
    options = null;
  }

  private void checkOpen() {
    if (!open) throw new InvalidStateStoreException("store " + name + " is not open");
  }
}
