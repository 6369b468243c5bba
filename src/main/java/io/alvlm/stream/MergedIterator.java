package io.alvlm.stream;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.rocksdb.RocksIterator;

/**
 * A {@link DurableStore}'s range: its committed entries (a RocksDB iterator, which sees the database as it was when
 * opened) merged with a copy of the writes staged since the last commit, which win on equal keys; a staged delete hides
 * the key. Keys run from {@code from} to {@code to}, both included, {@code null} unbounded; backwards when not
 * {@code forward}.
 */
final class MergedIterator implements KeyValueIterator<Bytes, byte[]> {
  private final RocksIterator committed;
  private final Iterator<Map.Entry<Bytes, byte[]>> staged;
  private final Bytes from;
  private final Bytes to;
  private final boolean forward;
  private final Consumer<MergedIterator> onClose;
  private Map.Entry<Bytes, byte[]> stagedHead;
  private KeyValue<Bytes, byte[]> next;
  private boolean closed;

  MergedIterator(RocksIterator committed, List<Map.Entry<Bytes, byte[]>> staged, Bytes from, Bytes to, boolean forward,
      Consumer<MergedIterator> onClose) {
    this.committed = committed;
    this.staged = staged.iterator();
    this.from = from;
    this.to = to;
    this.forward = forward;
    this.onClose = onClose;
    if (forward) {
      if (from == null) committed.seekToFirst();
      else committed.seek(from.get());
    } else {
      if (to == null) committed.seekToLast();
      else committed.seekForPrev(to.get());
    }
    stagedHead = this.staged.hasNext() ? this.staged.next() : null;
  }

  /** The committed iterator's key if it is still within the range, else {@code null}. */
  private Bytes committedKey() {
    if (!committed.isValid()) return null;
    Bytes k = Bytes.wrap(committed.key());
    if (forward ? to != null && k.compareTo(to) > 0 : from != null && k.compareTo(from) < 0) return null;
    return k;
  }

  private void step() {
    if (forward) committed.next();
    else committed.prev();
  }

  private KeyValue<Bytes, byte[]> advance() {
    while (true) {
      Bytes c = committedKey();
      if (c == null && stagedHead == null) return null;
      int order = c == null ? 1 : stagedHead == null ? -1 : c.compareTo(stagedHead.getKey()) * (forward ? 1 : -1);
      if (order < 0) { // committed first
        KeyValue<Bytes, byte[]> kv = KeyValue.pair(c, committed.value());
        step();
        return kv;
      }
      if (order == 0) step(); // the staged write replaces the committed value
      Map.Entry<Bytes, byte[]> s = stagedHead;
      stagedHead = staged.hasNext() ? staged.next() : null;
      if (s.getValue() != null) return KeyValue.pair(s.getKey(), s.getValue());
    }
  }

  @Override
  public boolean hasNext() {
    if (closed) throw new IllegalStateException("the iterator is closed");
    if (next == null) next = advance();
    return next != null;
  }

  @Override
  public KeyValue<Bytes, byte[]> next() {
    if (!hasNext()) throw new NoSuchElementException();
    KeyValue<Bytes, byte[]> kv = next;
    next = null;
    return kv;
  }

  @Override
  public Bytes peekNextKey() {
    if (!hasNext()) throw new NoSuchElementException();
    return next.key;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    committed.close();
    onClose.accept(this);
  }
}
