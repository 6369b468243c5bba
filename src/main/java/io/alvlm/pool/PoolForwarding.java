package io.alvlm.pool;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.stream.DeadLetters;
import io.alvlm.stream.ServiceMetrics;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** {@link PoolOutputs} onto the pool processor's sinks, in the task's transaction. */
final class PoolForwarding implements PoolOutputs {
  private final ProcessorContext<String, Object> context;
  private final Map<String, Serializer<?>> originals;
  private final ServiceMetrics metrics;

  /** @param originals serializers by input value class simple name, to re-encode refused records for the DLQ */
  PoolForwarding(ProcessorContext<String, Object> context, Map<String, Serializer<?>> originals, ServiceMetrics metrics) {
    this.context = Objects.requireNonNull(context);
    this.originals = Map.copyOf(originals);
    this.metrics = Objects.requireNonNull(metrics);
  }

  @Override
  public void training(String key, TrainingEvent event, long now) {
    context.forward(new Record<>(key, event, now), PoolSinks.TO_TRAINING);
  }

  @Override
  public void request(String id, AnnotationRequest request, long now) {
    context.forward(new Record<>(id, request, now), PoolSinks.TO_QUERIES);
  }

  @Override
  public void notice(io.alvlm.avro.PoolNotice notice, long now) {
    context.forward(new Record<>(PoolNotices.KEY, notice, now), PoolSinks.TO_NOTICES);
  }

  @Override
  public void round(QueryRound round, long now) {
    context.forward(new Record<>(Long.toString(round.getRound()), round, now), PoolSinks.TO_ROUNDS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void refuse(String id, SpecificRecord v, String reason, String message) {
    byte[] value = null;
    if (v != null) {
      Serializer<Object> s = (Serializer<Object>) originals.get(v.getClass().getSimpleName());
      if (s != null) {
        try {
          value = s.serialize(context.recordMetadata().map(m -> m.topic()).orElse(null), v);
        } catch (RuntimeException ignored) {
          // the letter still carries the reason and the offset
        }
      }
    }
    long now = context.currentSystemTimeMs();
    metrics.deadLetter("pool", reason);
    context.forward(new Record<>(id, DeadLetters.of("pool", reason, message, context.recordMetadata(), id, value, now), now), PoolSinks.TO_DLQ);
  }
}
