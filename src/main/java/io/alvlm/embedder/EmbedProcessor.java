package io.alvlm.embedder;

import io.alvlm.stream.DeadLetters;
import io.alvlm.stream.ServiceMetrics;
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
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The embedder: keeps each arriving image in the changelogged {@code embed-buffer} store and hands its
 * fetch, decode and CLIP preprocessing to the {@code decode} threads at once ({@link PendingImage}).
 * The stream thread only moves records and runs the image tower: once two batches are waiting it
 * embeds the first while the threads decode the second; a wall-clock punctuation runs the first batch
 * anyway once its oldest image waited {@code embed.max.wait.ms}. It emits one {@link ImageEmbedding}
 * per image, or a dead letter with the reason for an image that cannot be fetched or decoded, in input
 * order. The buffer deletions commit with the outputs (exactly-once), so a crash re-runs an unfinished
 * batch and never loses or doubles an image; the decoded pixels are a cache of the buffer, rebuilt from
 * it on start.
 */
public final class EmbedProcessor implements Processor<String, ImageEvent, String, Object> {
  public static final String BUFFER_STORE = "embed-buffer";
  public static final String TO_EMBEDDINGS = "to-embeddings";
  public static final String TO_DLQ = "embedder-to-dlq";

  private final ImageTower tower;
  private final ImageFetcher fetcher;
  private final Executor decode;
  private final int batchSize;
  private final long maxWaitMs;
  private final ServiceMetrics metrics;
  private final Serializer<ImageEvent> original;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, ImageEvent> buffer;
  /** The buffer's images in arrival order, each being (or done being) decoded. */
  private final Map<String, PendingImage> pending = new LinkedHashMap<>();

  /** @param decode runs the fetch, decode and preprocessing of each image ({@link DecodeThreads}) */
  public EmbedProcessor(ImageTower tower, ImageFetcher fetcher, Executor decode, int batchSize, long maxWaitMs,
      ServiceMetrics metrics, Serializer<ImageEvent> original) {
    this.tower = Objects.requireNonNull(tower);
    this.fetcher = Objects.requireNonNull(fetcher);
    this.decode = Objects.requireNonNull(decode);
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
      pending.put(kv.key, PendingImage.start(kv.key, kv.value, Optional.empty(), now, tower, fetcher, decode));
    }
    long tick = Math.max(50, Math.min(1000, maxWaitMs / 4));
    context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<String, ImageEvent> record) {
    metrics.streamThreadStep();
    ImageEvent e = record.value();
    String id = record.key() != null ? record.key() : (e == null ? null : e.getId());
    Optional<RecordMetadata> source = context.recordMetadata();
    if (e == null || id == null) {
      refuse(id, e, source, "malformed-record", "image record without a key or value");
      return;
    }
    if (!id.equals(e.getId())) {
      refuse(id, e, source, "malformed-record", "record key " + id + " differs from ImageEvent.id " + e.getId());
      return;
    }
    buffer.put(id, e);
    PendingImage replaced = pending.put(id, PendingImage.start(id, e, source, context.currentSystemTimeMs(), tower,
        fetcher, decode));
    if (replaced != null) {
      replaced.cancel(); // the store keeps the latest record of an id; so does the batch
    }
    if (pending.size() >= 2 * batchSize) {
      runBatch();
    }
  }

  private void punctuate(long now) {
    metrics.streamThreadStep();
    long oldest = pending.values().stream().mapToLong(PendingImage::arrivedAt).min().orElse(Long.MAX_VALUE);
    if (now - oldest >= maxWaitMs) {
      runBatch(); // one batch per punctuation: the next tick runs the rest, after a commit
    }
  }

  /**
   * Takes up to {@code embed.batch.size} images from the head of the buffer, waiting for their decoding
   * (the images behind them keep decoding meanwhile); dead-letters those refused; runs the tower once
   * on the rest and emits their embeddings. An image leaves {@link #pending} only with its output.
   */
  private void runBatch() {
    List<PendingImage> batch = new ArrayList<>(batchSize);
    List<float[]> pixels = new ArrayList<>(batchSize);
    List<PendingImage> refused = new ArrayList<>();
    long waitFrom = System.nanoTime();
    for (PendingImage p : pending.values()) {
      if (batch.size() == batchSize) {
        break;
      }
      PendingImage.Outcome o = p.await();
      if (o.pixels() != null) {
        batch.add(p);
        pixels.add(o.pixels());
      } else {
        refused.add(p);
        refuse(p.id(), p.event(), p.source(), o.reason(), o.message());
      }
    }
    metrics.decodeWait(System.nanoTime() - waitFrom);
    for (PendingImage p : refused) {
      pending.remove(p.id());
      buffer.delete(p.id());
    }
    if (batch.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    float[][] features = tower.embed(pixels);
    metrics.embedded(batch.size(), System.nanoTime() - t0);
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < batch.size(); i++) {
      PendingImage p = batch.get(i);
      ImageEvent e = p.event();
      ImageEmbedding out = ImageEmbedding.newBuilder()
          .setId(p.id())
          .setUri(e.getUri())
          .setModelId(tower.modelId())
          .setVector(VectorBytes.float32(features[i]))
          .setPrecision(VectorPrecision.FLOAT32)
          .setDim(features[i].length)
          .setImageTimestamp(e.getTimestamp())
          .setEmbeddedAt(Instant.ofEpochMilli(now))
          .setAttributes(e.getAttributes())
          .build();
      context.forward(new Record<>(p.id(), out, now), TO_EMBEDDINGS);
      buffer.delete(p.id());
      pending.remove(p.id());
    }
  }

  /** A dead letter naming where the record came from ({@code source}: known while it is processed). */
  private void refuse(String id, ImageEvent e, Optional<RecordMetadata> source, String reason, String message) {
    byte[] value = null;
    if (e != null) {
      try {
        value = original.serialize(source.map(RecordMetadata::topic).orElse(null), e);
      } catch (RuntimeException ignored) {
        // keep the letter even when the value cannot be re-encoded
      }
    }
    long now = context.currentSystemTimeMs();
    metrics.deadLetter("embedder", reason);
    context.forward(new Record<>(id, DeadLetters.of("embedder", reason, message, source, id, value, now), now), TO_DLQ);
  }

  @Override
  public void close() {
    pending.values().forEach(PendingImage::cancel);
    pending.clear();
  }
}
