package io.alvlm.stream;

import io.alvlm.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds {@link DeadLetter} records: where a record came from, which stage refused it and why. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * @param where the input record's topic/partition/offset, when known
   * @param key original key (a String image id here)
   * @param value original value bytes, re-encoded by the input serde, or null
   */
  public static DeadLetter of(String stage, String reason, String error, Optional<RecordMetadata> where, String key,
      byte[] value, long now) {
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setReason(reason)
        .setError(error)
        .setTopic(where.map(RecordMetadata::topic).orElse(null))
        .setPartition(where.map(RecordMetadata::partition).orElse(-1))
        .setOffset(where.map(RecordMetadata::offset).orElse(-1L))
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setFailedAt(Instant.ofEpochMilli(now))
        .build();
  }
}
