package io.alvlm.stream;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The writes a {@link DurableStore} received since its last commit, in key order; a {@code null} value is a
 * delete. Not thread-safe: the store guards it.
 */
final class StagedWrites {
  private final TreeMap<Bytes, byte[]> writes = new TreeMap<>();
  private long bytes;

  void put(Bytes key, byte[] value) {
    boolean rewrite = writes.containsKey(key);
    byte[] old = writes.put(key, value);
    if (!rewrite) bytes += key.get().length;
    if (old != null) bytes -= old.length;
    if (value != null) bytes += value.length;
  }

  /** Whether {@code key} was written since the last commit (then {@link #get} is its value, {@code null} if deleted). */
  boolean contains(Bytes key) {
    return writes.containsKey(key);
  }

  byte[] get(Bytes key) {
    return writes.get(key);
  }

  /** Keys and values, about: what a commit will write. */
  long bytes() {
    return bytes;
  }

  /**
   * A copy of the writes with keys between {@code from} and {@code to} (both included, {@code null} unbounded), in
   * the order an iterator returns them: an iterator must not see writes made after it was opened.
   */
  List<Map.Entry<Bytes, byte[]>> copy(Bytes from, Bytes to, boolean forward) {
    NavigableMap<Bytes, byte[]> range = writes;
    if (from != null && to != null) range = writes.subMap(from, true, to, true);
    else if (from != null) range = writes.tailMap(from, true);
    else if (to != null) range = writes.headMap(to, true);
    List<Map.Entry<Bytes, byte[]>> copy = new ArrayList<>(range.size());
    for (Map.Entry<Bytes, byte[]> e : forward ? range.entrySet() : range.descendingMap().entrySet()) {
      copy.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }
    return copy;
  }

  /** Adds every write to {@code batch}, into {@code family}. */
  void writeTo(WriteBatch batch, ColumnFamilyHandle family) throws RocksDBException {
    for (Map.Entry<Bytes, byte[]> e : writes.entrySet()) {
      if (e.getValue() == null) batch.delete(family, e.getKey().get());
      else batch.put(family, e.getKey().get(), e.getValue());
    }
  }

  void clear() {
    writes.clear();
    bytes = 0;
  }
}
