package io.alvlm.stream;

import io.alvlm.topics.TopicSpecs;
import io.alvlm.avro.DeadLetter;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Streams {@link ProcessingExceptionHandler}: a record whose processing throws (a poison pill the
 * processors did not foresee) becomes a {@link DeadLetter} with stage = the processor node, reason
 * {@code processing-error}, the exception, the source topic/partition/offset and the raw source bytes;
 * the task then resumes. It goes out through Streams' producer, in the same transaction. A failure
 * caused by a schema registry outage (writing an output record, say) is no fault of the record: the
 * task fails instead, and its stream thread is replaced and retries from the last commit. Config:
 * {@code dlq.topic} and the serde keys, as {@link DeadLetterDeserializationHandler}.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private String topic = TopicSpecs.DLQ;
  private Serializer<DeadLetter> serializer;

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(DeadLetterDeserializationHandler.DLQ_TOPIC);
    topic = t == null || t.toString().isBlank() ? TopicSpecs.DLQ : t.toString().trim();
    serializer = AvroSerdes.from(configs).value(DeadLetter.class).serializer();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Objects.requireNonNull(serializer, "configure() was not called");
    if (SchemaRegistryException.isOutage(exception)) {
      LOG.error("processor {} on {}-{}@{}: schema registry unavailable; failing the task to retry from the last commit"
          + " instead of dead-lettering a record that may be fine", context.processorNodeId(), context.topic(),
          context.partition(), context.offset(), exception);
      return Response.fail();
    }
    byte[] key = context.sourceRawKey();
    byte[] value = context.sourceRawValue();
    DeadLetter letter = DeadLetter.newBuilder()
        .setStage(context.processorNodeId())
        .setReason("processing-error")
        .setError(context.topic() + " partition " + context.partition() + " offset " + context.offset() + ": " + exception)
        .setTopic(context.topic())
        .setPartition(context.partition())
        .setOffset(context.offset())
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setFailedAt(Instant.now())
        .build();
    LOG.warn("processor {} failed on {}-{}@{}; sent to {}", context.processorNodeId(), context.topic(), context.partition(),
        context.offset(), topic, exception);
    try {
      return Response.resume(List.of(new ProducerRecord<>(topic, null, key, serializer.serialize(topic, letter))));
    } catch (RuntimeException e) {
      LOG.error("cannot write a dead letter to {}; failing the task", topic, e);
      return Response.fail();
    }
  }
}
