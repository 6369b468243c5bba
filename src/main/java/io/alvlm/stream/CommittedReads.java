package io.alvlm.stream;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A {@link DurableStore} read at {@code READ_COMMITTED}: what its last commit wrote, without the writes staged since
 * (interactive queries that ask for that isolation level).
 */
record CommittedReads(DurableStore store) implements ReadOnlyKeyValueStore<Bytes, byte[]> {
  @Override
  public byte[] get(Bytes key) {
    return store.committed(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return store.iterator(from, to, true, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return store.iterator(from, to, false, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return store.iterator(null, null, true, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return store.iterator(null, null, false, false);
  }

  @Override
  public long approximateNumEntries() {
    return store.approximateNumEntries();
  }
}
