package io.alvlm.stream;

import io.alvlm.topics.TopicSpecs;
import io.alvlm.avro.DeadLetter;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.RecordDecodingException;
import io.alvlm.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Streams {@link DeserializationExceptionHandler} that turns every record Streams cannot
 * deserialize into a {@link DeadLetter} (stage {@code deserialization}, the reason, the original
 * topic/partition/offset and key/value bytes) on the dead-letter topic, then lets the task
 * continue. The dead letter goes out through Streams' own producer, in the same transaction under
 * exactly-once. If the dead letter itself cannot be written, or the schema registry cannot be
 * reached (so the record may well be valid), the task fails instead: nothing is skipped silently.
 *
 * <p>Config (from the Streams config map): {@code dlq.topic} (default {@code alvlm.dlq}) and the
 * serde keys of {@link io.alvlm.serde.SerdeConfig}. Install with
 * {@code deserialization.exception.handler=io.alvlm.stream.DeadLetterDeserializationHandler}.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  public static final String DLQ_TOPIC = "dlq.topic";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private String topic = TopicSpecs.DLQ;
  private Serializer<DeadLetter> serializer;
  private final Clock clock = Clock.systemUTC();

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(DLQ_TOPIC);
    topic = t == null || t.toString().isBlank() ? TopicSpecs.DLQ : t.toString().trim();
    serializer = AvroSerdes.from(configs).value(DeadLetter.class).serializer();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Objects.requireNonNull(serializer, "configure() was not called");
    if (registryUnavailable(exception)) {
      // the record may be fine: fail the task (it retries from the last commit) rather than dead-letter it
      LOG.error("{}-{}@{}: schema registry unavailable; failing the task instead of dead-lettering a record"
          + " that may be valid", record.topic(), record.partition(), record.offset(), exception);
      return Response.fail();
    }
    DeadLetter letter = deadLetter(record, exception, clock);
    byte[] value;
    try {
      value = serializer.serialize(topic, letter);
    } catch (RuntimeException e) {
      LOG.error("cannot write a dead letter to {} for {}-{}@{}; failing the task", topic,
          record.topic(), record.partition(), record.offset(), e);
      return Response.fail();
    }
    LOG.warn("{}-{}@{}: {}; sent to {}", record.topic(), record.partition(), record.offset(),
        letter.getError(), topic);
    return Response.resume(List.of(new ProducerRecord<>(topic, null, record.key(), value)));
  }

  private static boolean registryUnavailable(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException) {
        return true;
      }
      if (t instanceof RecordDecodingException) {
        return false;
      }
    }
    return false;
  }

  /** The dead letter for a record that could not be deserialized. */
  public static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, Exception exception, Clock clock) {
    String reason = "malformed-record";
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RecordDecodingException d) {
        reason = d.reason();
        break;
      }
    }
    String error = record.topic() + " partition " + record.partition() + " offset " + record.offset() + ": "
        + exception.getMessage();
    return DeadLetter.newBuilder()
        .setStage("deserialization")
        .setReason(reason)
        .setError(error)
        .setTopic(record.topic())
        .setPartition(record.partition())
        .setOffset(record.offset())
        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setFailedAt(clock.instant())
        .build();
  }
}
