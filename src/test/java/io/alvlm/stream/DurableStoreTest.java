package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** The pool's store: transactional, and what it committed outlives a crash (real RocksDB, real files). */
class DurableStoreTest {
  private static final TopicPartition CHANGELOG = new TopicPartition("app-pool-changelog", 0);

  @TempDir
  Path dir;

  @Test
  void aCrashKeepsExactlyTheLastCommitAndItsOffset() throws IOException {
    DurableStore store = open(dir);
    store.put(key("a"), value("1"));
    store.put(key("b"), value("2"));
    store.put(key("c"), value("3"));
    store.commit(Map.of(CHANGELOG, 10L));
    store.put(key("d"), value("4")); // after the commit: not on disk
    store.delete(key("a"));
    store.put(key("b"), value("2'"));
    // the files as a SIGKILL leaves them: the store is never closed
    Path image = Files.createDirectory(dir.resolveSibling(dir.getFileName() + "-crash"));
    copy(dir, image);
    DurableStore restarted = open(image);
    assertEquals(10L, restarted.committedOffset(CHANGELOG));
    assertEquals(List.of("a=1", "b=2", "c=3"), entries(restarted.all()));
    restarted.close();
    store.close();
  }

  @Test
  void closeWithoutACommitDropsWhatWasStagedAsAnAbortedTransactionDoes() {
    DurableStore store = open(dir);
    store.put(key("a"), value("1"));
    store.commit(Map.of(CHANGELOG, 3L));
    store.put(key("b"), value("2"));
    store.close();
    DurableStore reopened = open(dir);
    assertEquals(List.of("a=1"), entries(reopened.all()));
    assertEquals(3L, reopened.committedOffset(CHANGELOG));
    reopened.close();
  }

  @Test
  void readsSeeStagedWritesOverCommittedOnesInKeyOrderBothWays() {
    DurableStore store = open(dir);
    for (String k : List.of("a", "c", "e")) store.put(key(k), value(k));
    store.commit(Map.of(CHANGELOG, 2L));
    store.put(key("b"), value("b'"));
    store.delete(key("c"));
    store.put(key("e"), value("e'"));
    assertNull(store.get(key("c")));
    assertArrayEquals(value("e'"), store.get(key("e")));
    assertEquals(List.of("a=a", "b=b'", "e=e'"), entries(store.all()));
    assertEquals(List.of("e=e'", "b=b'", "a=a"), entries(store.reverseAll()));
    assertEquals(List.of("b=b'", "e=e'"), entries(store.range(key("b"), key("e"))));
    assertEquals(List.of("b=b'", "a=a"), entries(store.reverseRange(key("a"), key("b"))));
    assertEquals(List.of("a=a"), entries(store.range(null, key("a"))));
    assertEquals(List.of(), entries(store.range(key("e"), key("a"))), "an inverted range is empty");
    assertEquals(List.of(), entries(store.range(key("c"), key("c"))), "a deleted key stays hidden");
    store.close();
  }

  @Test
  void readCommittedQueriesSeeOnlyTheLastCommit() {
    DurableStore store = open(dir);
    store.put(key("a"), value("1"));
    store.put(key("b"), value("2"));
    store.commit(Map.of(CHANGELOG, 1L));
    store.put(key("a"), value("1'"));
    store.delete(key("b"));
    store.put(key("c"), value("3"));
    ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
    assertArrayEquals(value("1"), committed.get(key("a")));
    assertNull(committed.get(key("c")));
    assertEquals(List.of("a=1", "b=2"), entries(committed.all()));
    assertEquals(List.of("b=2", "a=1"), entries(committed.reverseRange(key("a"), key("c"))));
    assertEquals(List.of("a=1'", "c=3"), entries(store.readOnly(IsolationLevel.READ_UNCOMMITTED).all()));
    store.close();
  }

  @Test
  void anIteratorSeesTheStoreAsItWasWhenOpened() {
    DurableStore store = open(dir);
    store.put(key("a"), value("1"));
    store.commit(Map.of(CHANGELOG, 0L));
    store.put(key("b"), value("2"));
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      store.put(key("c"), value("3"));
      store.commit(Map.of(CHANGELOG, 1L));
      store.put(key("a0"), value("0"));
      List<String> seen = new ArrayList<>();
      it.forEachRemaining(kv -> seen.add(text(kv)));
      assertEquals(List.of("a=1", "b=2"), seen);
    }
    store.close();
  }

  @Test
  void uncommittedBytesAreCountedUntilTheCommit() {
    DurableStore store = open(dir);
    assertEquals(0, store.approximateNumUncommittedBytes());
    store.put(key("ab"), new byte[100]);
    store.put(key("ab"), new byte[40]);
    store.put(key("cd"), null);
    assertEquals(2 + 40 + 2, store.approximateNumUncommittedBytes());
    store.commit(Map.of(CHANGELOG, 5L));
    assertEquals(0, store.approximateNumUncommittedBytes());
    store.close();
  }

  @Test
  void restoredChangelogRecordsAreCommittedDataAndGoToDiskAtOnce() throws IOException {
    DurableStore store = open(dir);
    store.put(key("a"), value("staged"));
    store.restore(List.of(KeyValue.pair(bytes("b"), bytes("1")), KeyValue.pair(bytes("c"), bytes("2")),
        KeyValue.pair(bytes("b"), null)));
    Path image = Files.createDirectory(dir.resolveSibling(dir.getFileName() + "-crash"));
    copy(dir, image);
    DurableStore restarted = open(image);
    assertEquals(List.of("c=2"), entries(restarted.all()));
    restarted.close();
    store.close();
  }

  @Test
  void aStoreThatKafkasNonTransactionalStoreLeftOpenIsCorruptAndGetsRestoredWhole() throws Exception {
    DurableStore store = open(dir);
    store.put(key("a"), value("1"));
    store.commit(Map.of(CHANGELOG, 0L));
    store.close();
    // Kafka's store without transactions marks itself open (1) while it runs: its data may be uncommitted
    Path db = dir.resolve("rocksdb").resolve("pool");
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions o = new DBOptions(); RocksDB r = RocksDB.open(o, db.toString(), List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
        new ColumnFamilyDescriptor(DurableStore.OFFSETS.getBytes(StandardCharsets.UTF_8))), handles)) {
      r.put(handles.get(1), "status".getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(1L).array());
      handles.forEach(ColumnFamilyHandle::close);
    }
    assertThrows(TaskCorruptedException.class, () -> open(dir));
  }

  private static DurableStore open(Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    p.put(BoundedRocksDbMemory.KEY, String.valueOf(8L << 20));
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(p, new TaskId(0, 0), stateDir.toFile());
    DurableStore store = new DurableStore("pool");
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  private static List<String> entries(KeyValueIterator<Bytes, byte[]> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(text(kv)));
    }
    return out;
  }

  private static String text(KeyValue<Bytes, byte[]> kv) {
    return new String(kv.key.get(), StandardCharsets.UTF_8) + "=" + new String(kv.value, StandardCharsets.UTF_8);
  }

  private static Bytes key(String k) {
    return Bytes.wrap(bytes(k));
  }

  private static byte[] value(String v) {
    return bytes(v);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
