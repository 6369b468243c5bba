package io.alvlm.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.clip.ClipModel;
import io.alvlm.config.ServiceConfig;
import io.alvlm.data.Fixtures;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.service.ServiceTopology;
import io.alvlm.stream.FencedProducers;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tower made slow on purpose (the real CLIP tower, then 150 ms an image), so that a batch of
 * {@code embed.batch.size=32} takes 4.8 s against a transaction timeout of 3 s, on a real broker under
 * exactly-once: the first such batch is aborted by the broker and redone, already smaller; no image is
 * embedded more than twice; every image comes out exactly once; the limit metric shows the smaller batch.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class SlowTowerIT {
  private static final int IMAGES = 150;
  private static final long MS_PER_IMAGE = 150;
  private static final long TRANSACTION_TIMEOUT_MS = 3000;
  @TempDir Path dir;

  /** The real tower, slowed, counting the calls each image went through and each call's size. */
  private static final class SlowTower implements ImageTower {
    private final ImageTower tower;
    private final Map<float[], String> ids = Collections.synchronizedMap(new IdentityHashMap<>());
    final Map<String, AtomicInteger> embedded = new ConcurrentHashMap<>();
    final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());

    SlowTower(ImageTower tower) {
      this.tower = tower;
    }

    @Override
    public float[] preprocess(String id, byte[] encoded) throws ImageRejected {
      float[] pixels = tower.preprocess(id, encoded);
      ids.put(pixels, id);
      return pixels;
    }

    @Override
    public float[][] embed(List<float[]> pixels) {
      float[][] out = tower.embed(pixels);
      // the slowness under test, not a wait for a condition
      java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(MS_PER_IMAGE * pixels.size()));
      batches.add(pixels.size());
      pixels.forEach(p -> embedded.computeIfAbsent(ids.remove(p), k -> new AtomicInteger()).incrementAndGet());
      return out;
    }

    @Override
    public String modelId() {
      return tower.modelId();
    }

    @Override
    public void close() {
      tower.close();
    }
  }

  @Test
  void aSlowTowerGetsASmallerBatchAndNoBatchIsRedoneTwice() throws Exception {
    Topics topics = ServiceHarness.topics();
    // the broker looks for transactions past their timeout every 500 ms rather than every 10 s
    try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms",
        "500"));
        ClipModel clip = ClipModel.load(Fixtures.clipTinyModel())) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("role", "embedder");
      s.put("embed.batch.size", "32");
      s.put("kafka.producer.transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT_MS));
      ServiceConfig c = ServiceConfig.of(s);
      ServiceHarness.createTopics(kafka, s);
      ServiceHarness.produce(kafka, topics, ServiceHarness.fashion(), 0, IMAGES);

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ServiceMetrics metrics = new ServiceMetrics(registry);
      SlowTower tower = new SlowTower(new ClipImageTower(clip, ClipImageTower.decoder(c, metrics), false));
      var topology = ServiceTopology.build(c, AvroSerdes.singleObject(), new ServiceTopology.Parts(tower, null, null, metrics));
      List<ConsumerRecord<String, ImageEmbedding>> out;
      try (KafkaStreams streams = new KafkaStreams(topology, AlvlmService.streamsConfig(c),
          FencedProducers.counting(metrics::fenced))) {
        streams.start();
        ServiceHarness.readUntil(kafka, topics.embeddings.name(), topics.embeddings.valueSerde().deserializer(),
            l -> l.size() >= IMAGES, Duration.ofMinutes(4));
        // read again a few seconds on, so that a late duplicate would be counted too
        out = ServiceHarness.readUntil(kafka, topics.embeddings.name(), topics.embeddings.valueSerde().deserializer(),
            l -> false, Duration.ofSeconds(5));
        streams.close(Duration.ofSeconds(30));
      }

      Set<String> ids = new HashSet<>();
      out.forEach(r -> ids.add(r.key()));
      assertEquals(IMAGES, ids.size(), "every image embedded; tower calls " + tower.batches);
      assertEquals(IMAGES, out.size(), "none twice in the committed output");
      int fits = (int) (TRANSACTION_TIMEOUT_MS / 4 / MS_PER_IMAGE);
      double limit = registry.find("alvlm.embed.batch.limit").gauge().value();
      assertTrue(limit <= fits, "the batch limit came down to what fits a quarter of the timeout (" + fits + "): " + limit);
      int max = tower.embedded.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
      assertTrue(max <= 2, "no image went through the tower more than twice: " + tower.embedded + "; calls " + tower.batches);
      assertTrue(tower.batches.get(0) > fits, "the first call took the configured batch: " + tower.batches);
      assertTrue(tower.batches.subList(1, tower.batches.size()).stream().allMatch(b -> b <= fits),
          "every later call is within the measured limit: " + tower.batches);
      assertTrue(metrics.fencedCount() <= 2, "at most one fence for each of the two tasks: " + metrics.fencedCount());
    }
  }
}
