package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.stream.ServiceMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.data.VectorBytes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder's pipeline on TopologyTestDriver with a tower that records which thread does what: images
 * are decoded on the decode threads, two at once, while the stream thread runs the tower on the batch
 * before; a refused image in the middle of a pipelined batch is dead-lettered and the others embedded once.
 */
class EmbedPipelineTest {
  @TempDir Path state;
  private EmbedderDriver embedder;
  private TopologyTestDriver driver;
  private TestInputTopic<String, ImageEvent> in;
  private TestOutputTopic<String, ImageEmbedding> out;
  private TestOutputTopic<byte[], DeadLetter> dlq;
  private final GatedTower tower = new GatedTower();
  private final ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());

  /**
   * Pixels are {@code [first letter of the id]}; "c" and "bad" block in decoding until the tower runs, and
   * the tower's first batch waits until both are decoding: neither wait ends unless decoding of the next
   * batch overlaps the tower on two threads. "bad" is then refused.
   */
  private static final class GatedTower implements ImageTower {
    final Set<String> decodeThreads = ConcurrentHashMap.newKeySet();
    final List<String> towerThreads = new CopyOnWriteArrayList<>();
    final List<String> batches = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final CountDownLatch towerRunning = new CountDownLatch(1);
    final CountDownLatch nextDecoding = new CountDownLatch(2);

    @Override
    public float[] preprocess(String id, byte[] encoded) throws ImageRejected {
      decodeThreads.add(Thread.currentThread().getName());
      if (id.equals("c") || id.equals("bad")) {
        nextDecoding.countDown();
        if (!await(towerRunning)) {
          failures.add(id + " decoded without the tower running meanwhile");
        }
      }
      if (id.equals("bad")) {
        throw new ImageRejected("image-decode", "image bad: not a PNG, JPEG, WebP, TIFF, BMP or GIF image");
      }
      return new float[] {new String(encoded, StandardCharsets.UTF_8).charAt(0)};
    }

    @Override
    public float[][] embed(List<float[]> pixels) {
      towerThreads.add(Thread.currentThread().getName());
      StringBuilder ids = new StringBuilder();
      pixels.forEach(p -> ids.append((char) p[0]));
      batches.add(ids.toString());
      if (batches.size() == 1) {
        towerRunning.countDown();
        if (!await(nextDecoding)) {
          failures.add("the tower ran batch " + ids + " while the next batch was not decoding on two threads");
        }
      }
      return pixels.stream().map(p -> new float[] {p[0], 1f}).toArray(float[][]::new);
    }

    private static boolean await(CountDownLatch latch) {
      try {
        return latch.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public String modelId() {
      return "gated";
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void start() {
    ServiceConfig c = ServiceConfig.of(Map.of("role", "embedder", "embed.batch.size", "2", "embed.max.wait.ms", "500",
        "embed.decode.threads", "2", "state.dir", state.toString()));
    EmbedderDriver d = new EmbedderDriver(c, tower, metrics);
    embedder = d;
    driver = d.driver;
    in = d.in;
    out = d.out;
    dlq = d.dlq;
  }

  @AfterEach
  void stop() {
    embedder.close();
  }

  private void send(String id) {
    in.pipeInput(id, ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)))
        .setTimestamp(Instant.EPOCH).build());
  }

  @Test
  void decodesTheNextBatchOnTwoThreadsWhileTheTowerRunsAndDeadLettersABadImageInIt() {
    for (String id : List.of("a", "b", "c", "bad")) {
      send(id); // at "bad" two batches wait: [a b] runs while [c bad] decodes
    }
    send("d");
    send("e"); // [c bad d e] wait: "bad" is refused, [c d] runs, "e" waits
    KeyValueStore<String, ImageEvent> buffer = driver.getKeyValueStore(EmbedProcessor.BUFFER_STORE);
    assertNotNull(buffer.get("e"), "the image still waiting for its batch is in the buffer");
    driver.advanceWallClockTime(Duration.ofMillis(600));

    assertEquals(List.of(), tower.failures);
    assertEquals(List.of("ab", "cd", "e"), tower.batches, "every good image through the tower once, in order");
    List<ImageEmbedding> got = out.readValuesToList();
    assertEquals(List.of("a", "b", "c", "d", "e"), got.stream().map(ImageEmbedding::getId).toList());
    for (ImageEmbedding e : got) {
      float[] v = VectorBytes.decode(e.getVector(), e.getDim(), false);
      assertEquals(e.getId().charAt(0), (char) v[0], "the embedding of " + e.getId() + " is its own");
    }
    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(1, letters.size());
    DeadLetter bad = letters.get(0);
    assertEquals("embedder", bad.getStage());
    assertEquals("image-decode", bad.getReason());
    assertTrue(bad.getError().contains("not a PNG"), bad.getError());
    assertEquals("bad", StandardCharsets.UTF_8.decode(bad.getKey()).toString());
    assertEquals(3L, bad.getOffset(), "the letter names the refused record, not the one being processed");
    assertNotNull(bad.getValue(), "the original record travels with the letter");
    assertEquals(0, buffer.approximateNumEntries(), "embedded and refused images leave the buffer");

    String streamThread = Thread.currentThread().getName();
    assertEquals(List.of(streamThread, streamThread, streamThread), tower.towerThreads, "the tower runs on the stream thread");
    assertTrue(tower.decodeThreads.stream().allMatch(t -> t.startsWith("alvlm-decode-")), tower.decodeThreads.toString());
    assertTrue(tower.decodeThreads.size() >= 2, "two decode threads at once: " + tower.decodeThreads);
    assertEquals(3, metrics.registry().get("alvlm.embed.decode.wait").timer().count(), "one decode wait per tower call");
  }
}
