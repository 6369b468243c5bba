package io.alvlm.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be turned into a record: bad magic or header, an unknown schema id or
 * fingerprint, truncated or corrupt Avro. Names the topic, and partition and offset when the caller
 * knows them (-1 otherwise; Kafka's consumer adds them in its {@code RecordDeserializationException},
 * and the Streams dead-letter handler records them). Never means "skip silently".
 */
public final class RecordDecodingException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;
  private final String reason;

  public RecordDecodingException(String topic, String reason, String detail, Throwable cause) {
    this(topic, -1, -1L, reason, detail, cause);
  }

  public RecordDecodingException(
      String topic, int partition, long offset, String reason, String detail, Throwable cause) {
    super(message(topic, partition, offset, reason, detail), cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.reason = reason;
  }

  /** Topic of the record, or null if unknown. */
  public String topic() {
    return topic;
  }

  /** Partition of the record, or -1 if unknown. */
  public int partition() {
    return partition;
  }

  /** Offset of the record, or -1 if unknown. */
  public long offset() {
    return offset;
  }

  /** Short machine-readable reason: bad-magic, unknown-schema, truncated, malformed-record. */
  public String reason() {
    return reason;
  }

  private static String message(String topic, int partition, long offset, String reason, String detail) {
    StringBuilder where = new StringBuilder("cannot decode record from topic ").append(topic);
    if (partition >= 0) {
      where.append(" partition ").append(partition);
    }
    if (offset >= 0) {
      where.append(" offset ").append(offset);
    }
    return where.append(" (").append(reason).append("): ").append(detail).toString();
  }
}
