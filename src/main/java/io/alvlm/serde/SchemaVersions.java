package io.alvlm.serde;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Records this instance wrote and read, counted by record type, schema version and direction: the
 * evidence that during a rolling upgrade old and new records were both read. A schema's version is its
 * place in {@code schemas/history/<Name>/} (matched by Avro's parsing fingerprint, so docs and
 * properties do not count); 0 for a schema that is in no history (written by another build). The
 * metric {@code alvlm_serde_records_total{record,schema_version,direction}} reads it. Thread-safe.
 */
public final class SchemaVersions {
  /** One counted kind of record: {@code direction} is {@code read} or {@code written}. */
  public record Key(String record, int version, String direction) {}

  private static final Map<String, List<Long>> FINGERPRINTS = new ConcurrentHashMap<>();
  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final List<Consumer<Key>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The version of {@code schema} in its record's history, 1 for the first; 0 when it is in none. */
  public static int versionOf(Schema schema) {
    List<Long> known = FINGERPRINTS.computeIfAbsent(schema.getName(),
        n -> RecordTypes.history(n).stream().map(SchemaNormalization::parsingFingerprint64).toList());
    return known.indexOf(SchemaNormalization.parsingFingerprint64(schema)) + 1;
  }

  void read(String record, int version) {
    increment(new Key(record, version, "read"));
  }

  void written(String record, int version) {
    increment(new Key(record, version, "written"));
  }

  private void increment(Key k) {
    LongAdder n = counts.get(k);
    if (n == null) {
      n = counts.computeIfAbsent(k, x -> new LongAdder());
      listeners.forEach(l -> l.accept(k));
    }
    n.increment();
  }

  /** Records of {@code k} so far. */
  public long count(Key k) {
    LongAdder n = counts.get(k);
    return n == null ? 0 : n.sum();
  }

  /** Calls {@code l} with every kind counted so far, and with each new kind as it is first counted. */
  public void onKind(Consumer<Key> l) {
    listeners.add(l);
    counts.keySet().forEach(l);
  }
}
