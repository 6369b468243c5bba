package io.alvlm.cli;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench service}: images/s through the embedder on a real (embedded) broker, exactly-once,
 * with its decode threads, against the bare image tower at the same batch size in the same run: the
 * tower alone on pixels decoded beforehand (the ceiling: no fetch, decode, Kafka or Avro), measured
 * before and after the service and averaged, since other work on the machine varies.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
    description = "Embedder throughput on the real broker vs the bare image tower at the same batch size.")
final class ServiceBench implements Callable<Integer> {
  @Option(names = "--model", description = "Hugging Face CLIP or SigLIP directory (default: models/clip-tiny).")
  Path model;

  @Option(names = "--images", defaultValue = "2000", description = "Images embedded per figure (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--batch", defaultValue = "32", description = "embed.batch.size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--set", description = "Extra service setting KEY=VALUE (repeatable), e.g. embed.decode.threads=1.")
  Map<String, String> extra = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath();
    Path modelDir = model != null ? model : home.resolve("models/clip-tiny");
    IdxDataset data = IdxDataset.read(home.resolve("data/fashion-mnist"), "train");
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < images; i++) pngs.add(data.png(i % data.size()));
    double loadBefore = loadAverage();
    double decode;
    double[] bare = new double[3];
    double service;
    try (ClipModel clip = ClipModel.load(modelDir)) {
      ImagePreprocessor pre = clip.preprocessor(40_000_000L);
      long t0 = System.nanoTime();
      List<float[]> pixels = new ArrayList<>(pngs.size());
      for (byte[] png : pngs) pixels.add(pre.preprocess(png));
      decode = pngs.size() / ((System.nanoTime() - t0) / 1e9);
      tower(clip, pixels.subList(0, Math.min(pixels.size(), batch * 2))); // warm-up
      bare[0] = progress("bare tower, main thread", tower(clip, pixels));
      bare[1] = progress("bare tower, own thread", onOwnThread(() -> tower(clip, pixels)));
      service = progress("service", throughService(modelDir, pngs, home));
      bare[2] = progress("bare tower, own thread after the service", onOwnThread(() -> tower(clip, pixels)));
    }
    double best = Math.max(bare[0], Math.max(bare[1], bare[2]));
    System.out.printf("bench service: %s, %d images (Fashion-MNIST PNGs), batch %d, %d processors, settings %s, "
        + "load average %.1f -> %.1f%n", modelDir.getFileName(), images, batch, Runtime.getRuntime().availableProcessors(),
        extra, loadBefore, loadAverage());
    System.out.printf("decode + preprocess alone, one thread: %.1f images/s; every image embedded exactly once%n", decode);
    System.out.printf("bare tower: main thread %.2f, own thread before %.2f and after the service %.2f images/s%n",
        bare[0], bare[1], bare[2]);
    System.out.printf("service %.2f images/s, bare tower %.2f images/s (the fastest of the three), ratio %.2f "
        + "(target >= 0.90)%n", service, best, service / best);
    return 0;
  }

  /**
   * Runs a measurement on a fresh thread, as the stream thread calls the tower: under load, PyTorch's
   * intra-op threads on the JVM's main thread have been measured many times slower than on any other.
   */
  private static double onOwnThread(java.util.function.DoubleSupplier measure) throws InterruptedException {
    double[] out = new double[1];
    RuntimeException[] failed = new RuntimeException[1];
    Thread t = new Thread(() -> {
      try {
        out[0] = measure.getAsDouble();
      } catch (RuntimeException e) {
        failed[0] = e;
      }
    }, "bench-bare-tower");
    t.start();
    t.join();
    if (failed[0] != null) throw failed[0];
    return out[0];
  }

  /** Images/s of the image tower alone on preprocessed pixels, {@code batch} at a time. */
  private double tower(ClipModel clip, List<float[]> pixels) {
    long t0 = System.nanoTime();
    for (int from = 0; from < pixels.size(); from += batch) {
      clip.embedImages(pixels.subList(from, Math.min(pixels.size(), from + batch)));
    }
    return pixels.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static double progress(String what, double imagesPerSecond) {
    System.err.printf("%s: %.2f images/s (load average %.1f)%n", what, imagesPerSecond, loadAverage());
    return imagesPerSecond;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private double throughService(Path modelDir, List<byte[]> pngs, Path home) throws Exception {
    Files.createDirectories(home.resolve("target"));
    Path state = Files.createTempDirectory(home.resolve("target"), "bench-state-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = new HashMap<>();
      s.put("bootstrap.servers", kafka.bootstrapServers());
      s.put("state.dir", state.toString());
      s.put("model.dir", modelDir.toString());
      s.put("role", "embedder");
      s.put("embed.batch.size", Integer.toString(batch));
      s.put("embed.max.wait.ms", "100");
      s.put("topics.images.partitions", "1");
      s.put("http.port", "-1");
      s.putAll(extra);
      ServiceConfig config = ServiceConfig.of(s);
      Topics topics = new Topics(AvroSerdes.from(config.asMap()));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        new TopicProvisioner(admin).ensure(TopicSpecs.from(config), true);
      }
      Map<String, Object> p = new HashMap<>(kafka.clientConfig());
      p.put("linger.ms", 20);
      try (KafkaProducer<String, ImageEvent> producer =
          new KafkaProducer<>(p, new StringSerializer(), topics.images.valueSerde().serializer())) {
        for (int i = 0; i < pngs.size(); i++) {
          producer.send(new ProducerRecord<>(topics.images.name(), "b" + i, ImageEvent.newBuilder().setId("b" + i)
              .setBytes(ByteBuffer.wrap(pngs.get(i))).setTimestamp(Instant.now()).build()));
        }
      }
      Map<String, Object> c = new HashMap<>(kafka.clientConfig());
      c.put("group.id", "bench");
      c.put("isolation.level", "read_committed");
      c.put("auto.offset.reset", "earliest");
      try (AlvlmService service = AlvlmService.start(config);
          KafkaConsumer<String, ImageEmbedding> consumer =
              new KafkaConsumer<>(c, new StringDeserializer(), topics.embeddings.valueSerde().deserializer())) {
        consumer.subscribe(List.of(topics.embeddings.name()));
        Set<String> seen = new HashSet<>();
        int received = 0;
        int firstCommit = 0;
        long first = 0;
        long last = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (seen.size() < pngs.size() && System.nanoTime() < deadline) {
          var records = consumer.poll(Duration.ofMillis(100));
          if (records.isEmpty()) continue;
          for (ConsumerRecord<String, ImageEmbedding> r : records) {
            seen.add(r.key());
            received++;
          }
          last = System.nanoTime();
          if (first == 0) {
            first = last;
            firstCommit = received;
          }
        }
        if (seen.size() < pngs.size() || received != seen.size()) {
          throw new IllegalStateException("the embedder emitted " + received + " embeddings of " + seen.size()
              + " distinct images for " + pngs.size() + " sent");
        }
        // read_committed: embeddings arrive a transaction at a time; count the images after the first one
        return (received - firstCommit) / Math.max(1e-3, (last - first) / 1e9);
      }
    } finally {
      try (var w = Files.walk(state)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
