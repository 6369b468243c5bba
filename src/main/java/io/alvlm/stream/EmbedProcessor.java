package io.alvlm.stream;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.VectorBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The embedder: fetches and preprocesses each image as it arrives (refusals go to the DLQ), keeps it
 * in the changelogged {@code embed-buffer} store until its micro-batch runs — when the batch is full,
 * or by wall-clock punctuation once the oldest image waited {@code embed.max.wait.ms} — and emits one
 * {@link ImageEmbedding} per image. The buffer deletions commit with the outputs (exactly-once), so a
 * crash re-runs an unfinished batch and never loses or doubles an image. The decoded pixels are a cache
 * of the buffer, rebuilt from it on start.
 */
public final class EmbedProcessor implements Processor<String, ImageEvent, String, Object> {
  public static final String BUFFER_STORE = "embed-buffer";
  public static final String TO_EMBEDDINGS = "to-embeddings";
  public static final String TO_DLQ = "embedder-to-dlq";

  private final ImageTower tower;
  private final ImageFetcher fetcher;
  private final int batchSize;
  private final long maxWaitMs;
  private final ServiceMetrics metrics;
  private final Serializer<ImageEvent> original;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, ImageEvent> buffer;
  private final Map<String, float[]> pixels = new LinkedHashMap<>();
  private final Map<String, ImageEvent> events = new LinkedHashMap<>();
  private long oldestAt = Long.MAX_VALUE;

  public EmbedProcessor(ImageTower tower, ImageFetcher fetcher, int batchSize, long maxWaitMs, ServiceMetrics metrics,
      Serializer<ImageEvent> original) {
    this.tower = Objects.requireNonNull(tower);
    this.fetcher = Objects.requireNonNull(fetcher);
    if (batchSize < 1) {
      throw new IllegalArgumentException("embed.batch.size must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.maxWaitMs = maxWaitMs;
    this.metrics = Objects.requireNonNull(metrics);
    this.original = Objects.requireNonNull(original);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(BUFFER_STORE);
    List<KeyValue<String, ImageEvent>> waiting = new ArrayList<>();
    try (KeyValueIterator<String, ImageEvent> it = buffer.all()) {
      it.forEachRemaining(waiting::add);
    }
    long now = context.currentSystemTimeMs();
    for (KeyValue<String, ImageEvent> kv : waiting) {
      accept(kv.key, kv.value, now, false);
    }
    long tick = Math.max(50, Math.min(1000, maxWaitMs / 4));
    context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<String, ImageEvent> record) {
    metrics.streamThreadStep();
    ImageEvent e = record.value();
    String id = record.key() != null ? record.key() : (e == null ? null : e.getId());
    if (e == null || id == null) {
      refuse(id, e, "malformed-record", "image record without a key or value");
      return;
    }
    if (!id.equals(e.getId())) {
      refuse(id, e, "malformed-record", "record key " + id + " differs from ImageEvent.id " + e.getId());
      return;
    }
    if (accept(id, e, context.currentSystemTimeMs(), true) && pixels.size() >= batchSize) {
      flush();
    }
  }

  private boolean accept(String id, ImageEvent e, long now, boolean fresh) {
    try {
      float[] px = tower.preprocess(id, fetcher.bytes(e));
      if (fresh) {
        buffer.put(id, e);
      }
      pixels.put(id, px);
      events.put(id, e);
      oldestAt = Math.min(oldestAt, now);
      return true;
    } catch (ImageRejected r) {
      if (!fresh) {
        buffer.delete(id);
      }
      refuse(id, e, r.reason(), r.getMessage());
      return false;
    } catch (RuntimeException ex) {
      if (!fresh) {
        buffer.delete(id);
      }
      refuse(id, e, "image-decode", "image " + id + ": " + ex);
      return false;
    }
  }

  private void refuse(String id, ImageEvent e, String reason, String message) {
    byte[] value = null;
    if (e != null) {
      try {
        value = original.serialize(context.recordMetadata().map(m -> m.topic()).orElse(null), e);
      } catch (RuntimeException ignored) {
        // keep the letter even when the value cannot be re-encoded
      }
    }
    long now = context.currentSystemTimeMs();
    metrics.deadLetter("embedder", reason);
    context.forward(new Record<>(id, DeadLetters.of("embedder", reason, message, context.recordMetadata(), id, value, now), now),
        TO_DLQ);
  }

  private void punctuate(long now) {
    metrics.streamThreadStep();
    if (!pixels.isEmpty() && now - oldestAt >= maxWaitMs) {
      flush();
    }
  }

  private void flush() {
    List<String> ids = new ArrayList<>(pixels.keySet());
    for (int from = 0; from < ids.size(); from += batchSize) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + batchSize));
      List<float[]> batch = new ArrayList<>(part.size());
      part.forEach(id -> batch.add(pixels.get(id)));
      long t0 = System.nanoTime();
      float[][] features = tower.embed(batch);
      metrics.embedded(part.size(), System.nanoTime() - t0);
      long now = context.currentSystemTimeMs();
      for (int i = 0; i < part.size(); i++) {
        String id = part.get(i);
        ImageEvent e = events.get(id);
        ImageEmbedding out = ImageEmbedding.newBuilder()
            .setId(id)
            .setUri(e.getUri())
            .setModelId(tower.modelId())
            .setVector(VectorBytes.float32(features[i]))
            .setPrecision(VectorPrecision.FLOAT32)
            .setDim(features[i].length)
            .setImageTimestamp(e.getTimestamp())
            .setEmbeddedAt(Instant.ofEpochMilli(now))
            .setAttributes(e.getAttributes())
            .build();
        context.forward(new Record<>(id, out, now), TO_EMBEDDINGS);
        buffer.delete(id);
      }
    }
    pixels.clear();
    events.clear();
    oldestAt = Long.MAX_VALUE;
  }
}
