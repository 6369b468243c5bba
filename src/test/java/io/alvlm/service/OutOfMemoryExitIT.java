package io.alvlm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.data.VectorBytes;
import io.alvlm.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool whose heap is too small for it, started as a user starts it ({@code bin/alvlm run --role pool}
 * with {@code ALVLM_JAVA_OPTS=-Xmx...}), runs out of memory: the process ends at once with the JVM's
 * status 3 and its one-line reason, instead of living on with a replaced stream thread; started again
 * with a heap that fits, on the same state directory, it pools every image and stays up.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class OutOfMemoryExitIT {
  private static final int IMAGES = 10_000;
  // 10,000 rows of 8 KiB: about 80 MiB of features, near all of the tiny heap, at half the exact folding
  // work (rows² × dim) of 20,000 rows of 4 KiB
  private static final int DIM = 2048;
  @TempDir Path dir;

  @Test
  void aPoolOutOfMemoryExitsWithStatus3AndRestartsCleanWithAHeapThatFits() throws Exception {
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      int port = freePort();
      s.put("role", "pool");
      s.put("http.port", Integer.toString(port));
      s.put("query.min-new", "1000000");
      s.put("query.interval.ms", "3600000");
      Path config = dir.resolve("alvlm.properties");
      ServiceHarness.writeConfig(config, s);
      ServiceHarness.createTopics(kafka, s);
      produce(kafka, topics);

      Path log = dir.resolve("oom.log");
      Process tiny = launch(config, "-Xmx96m", log);
      assertTrue(tiny.waitFor(4, TimeUnit.MINUTES), "the pool with a 96 MiB heap ended by itself; log:\n" + tail(log));
      String out = Files.readString(log);
      assertEquals(3, tiny.exitValue(), "the JVM's exit status for -XX:+ExitOnOutOfMemoryError; log:\n" + tail(log));
      assertTrue(out.contains("Terminating due to java.lang.OutOfMemoryError"), "the reason, in one line:\n" + tail(log));
      assertTrue(out.indexOf("alvlm: role pool") >= 0
          && out.indexOf("alvlm: role pool") < out.indexOf("Terminating due to java.lang.OutOfMemoryError"),
          "the service was running when the heap ran out:\n" + tail(log));
      assertTrue(!out.contains("replacing it"), "no stream thread was replaced:\n" + tail(log));

      Path again = dir.resolve("restart.log");
      Process fits = launch(config, "-Xmx1g", again);
      try {
        String[] last = {""};
        io.alvlm.Await.within(java.time.Duration.ofMinutes(3), () -> {
          last[0] = get(port, "/pool");
          return !fits.isAlive() || last[0].contains("\"unlabeled\":" + IMAGES);
        });
        String pool = last[0];
        assertTrue(pool.contains("\"unlabeled\":" + IMAGES), "every image pooled after the restart: " + pool
            + "; log:\n" + tail(again));
        assertTrue(fits.isAlive() && !get(port, "/health/live").isEmpty(), "alive after pooling everything");
        assertTrue(!Files.readString(again).contains("OutOfMemoryError"), "no error of the JVM after the restart");
      } finally {
        fits.destroy();
        fits.waitFor(60, TimeUnit.SECONDS);
        fits.destroyForcibly();
      }
    }
  }

  private static Process launch(Path config, String heap, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of("bin/alvlm").toAbsolutePath().toString(), "run", "--config",
        config.toString()));
    pb.environment().put("ALVLM_JAVA_OPTS", heap);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  /** A model of ten classes and {@link #IMAGES} random unit-ish embeddings, as an embedder would write them. */
  private static void produce(EmbeddedKafka kafka, Topics topics) {
    Random r = new Random(34);
    float[] text = new float[10 * DIM];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    try (KafkaProducer<String, PromptModel> m = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        topics.models.valueSerde().serializer())) {
      m.send(new ProducerRecord<>(topics.models.name(), "default", PromptModel.newBuilder().setName("default")
          .setVersion(0).setBaseModelId("synthetic").setClassNames(ServiceHarness.CLASSES).setNCtx(0).setCtxWidth(0)
          .setContext(ByteBuffer.allocate(0)).setDim(DIM).setTextFeatures(VectorBytes.float32(text))
          .setLogitScale(100f).setCreatedAt(Instant.EPOCH).build()));
    }
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put("linger.ms", 20);
    p.put("batch.size", 1 << 20);
    try (KafkaProducer<String, ImageEmbedding> e = new KafkaProducer<>(p, new StringSerializer(),
        topics.embeddings.valueSerde().serializer())) {
      IntStream.range(0, IMAGES).forEach(i -> {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) v[d] = (float) r.nextGaussian();
        e.send(new ProducerRecord<>(topics.embeddings.name(), "img" + i, ImageEmbedding.newBuilder().setId("img" + i)
            .setModelId("synthetic").setVector(VectorBytes.float32(v)).setPrecision(VectorPrecision.FLOAT32).setDim(DIM)
            .setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build()));
      });
    }
  }

  private static String get(int port, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + path)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return ""; // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) return "(no log)";
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
