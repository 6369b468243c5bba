package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ImageEvent;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.embedder.ImageRejected;
import io.alvlm.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The encoded bytes of a requested image. A request that carries a uri is fetched under the
 * embedder's policy ({@code fetch.allowed.roots}, {@code fetch.allowed.hosts}, size and time
 * limits); one whose image came inline is read back from {@code alvlm.images}. For that, a
 * background reader keeps where each image id was last written (partition and offset, a few dozen
 * bytes per image, not the bytes), and a second consumer seeks to it on demand. Thread-safe.
 */
public final class ImageLookup implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ImageFetcher fetcher;
  private final Topics topics;
  private final Map<String, TopicPartition> partitionOf = new ConcurrentHashMap<>();
  private final Map<String, Long> offsetOf = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, ImageEvent> reader;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread indexer;

  public ImageLookup(Map<String, Object> clientConfig, Topics topics, ImageFetcher fetcher) {
    this.fetcher = Objects.requireNonNull(fetcher);
    this.topics = Objects.requireNonNull(topics);
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put("isolation.level", "read_committed");
    c.put("enable.auto.commit", false);
    c.put("max.poll.records", 1);
    reader = new KafkaConsumer<>(c, new StringDeserializer(), topics.images.valueSerde().deserializer());
    Map<String, Object> ic = new HashMap<>(c);
    ic.put("max.poll.records", 2000);
    indexer = new Thread(() -> index(ic), "alvlm-workbench-images");
    indexer.setDaemon(true);
    indexer.start();
  }

  private void index(Map<String, Object> config) {
    // values stay undecoded: the index needs keys and offsets only
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topics.images.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.key() != null) {
            partitionOf.put(r.key(), new TopicPartition(r.topic(), r.partition()));
            offsetOf.put(r.key(), r.offset());
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The bytes of the request's image; an {@link ImageRejected} says why there are none. */
  public byte[] bytes(AnnotationRequest r) throws ImageRejected {
    if (r.getUri() != null && !r.getUri().isBlank()) {
      return fetcher.bytes(ImageEvent.newBuilder().setId(r.getId()).setUri(r.getUri()).setTimestamp(r.getCreatedAt()).build());
    }
    long end = System.nanoTime() + WAIT.toNanos();
    // the request may be read before the indexer reached its image
    while (!offsetOf.containsKey(r.getId())) {
      if (System.nanoTime() > end) {
        throw new ImageRejected("unknown-image", "image " + r.getId() + ": not found on " + topics.images.name());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageRejected("fetch-failed", "interrupted");
      }
    }
    return fetcher.bytes(read(r.getId()));
  }

  private synchronized ImageEvent read(String id) throws ImageRejected {
    TopicPartition tp = partitionOf.get(id);
    long offset = offsetOf.get(id);
    reader.assign(List.of(tp));
    reader.seek(tp, offset);
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      try {
        for (ConsumerRecord<String, ImageEvent> r : reader.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset && id.equals(r.key())) {
            return r.value();
          }
        }
      } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
        throw new ImageRejected("malformed-record", "image " + id + ": the event at " + tp + " offset " + offset + " is not ours");
      }
    }
    throw new ImageRejected("fetch-failed", "image " + id + ": could not read " + tp + " at offset " + offset);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    indexer.join(5_000);
    synchronized (this) {
      reader.close(Duration.ofSeconds(2));
    }
  }
}
