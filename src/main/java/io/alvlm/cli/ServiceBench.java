package io.alvlm.cli;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.stream.AlvlmService;
import io.alvlm.stream.EmbeddedKafka;
import io.alvlm.stream.ServiceConfig;
import io.alvlm.stream.TopicProvisioner;
import io.alvlm.stream.TopicSpecs;
import io.alvlm.stream.Topics;
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
 * against the bare image tower doing the same work (decode + preprocess + tower) at the same batch
 * size in the same run.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
    description = "Embedder throughput on the real broker vs the bare image tower at the same batch size.")
final class ServiceBench implements Callable<Integer> {
  @Option(names = "--model", description = "Hugging Face CLIP directory (default: models/clip-tiny).")
  Path model;

  @Option(names = "--images", defaultValue = "2000", description = "Images embedded per figure (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--batch", defaultValue = "32", description = "embed.batch.size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--set", description = "Extra service setting KEY=VALUE (repeatable), e.g. kafka.commit.interval.ms=1000.")
  Map<String, String> extra = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath();
    Path modelDir = model != null ? model : home.resolve("models/clip-tiny");
    IdxDataset data = IdxDataset.read(home.resolve("data/fashion-mnist"), "train");
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < images; i++) pngs.add(data.png(i % data.size()));
    double bare = bare(modelDir, pngs);
    double service = throughService(modelDir, pngs, home);
    System.out.printf("bench service: %s, %d images, batch %d, settings %s%n", modelDir.getFileName(), images, batch, extra);
    System.out.printf("bare image tower (decode + preprocess + tower): %8.1f images/s%n", bare);
    System.out.printf("embedder on the broker (exactly-once, Avro):    %8.1f images/s%n", service);
    System.out.printf("ratio service/bare: %.2f (target >= 0.90)%n", service / bare);
    return 0;
  }

  private double bare(Path modelDir, List<byte[]> pngs) throws Exception {
    try (ClipModel clip = ClipModel.load(modelDir)) {
      ImagePreprocessor pre = clip.preprocessor(40_000_000L);
      run(clip, pre, pngs.subList(0, Math.min(pngs.size(), batch * 2)));
      long t0 = System.nanoTime();
      run(clip, pre, pngs);
      return pngs.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private void run(ClipModel clip, ImagePreprocessor pre, List<byte[]> pngs) throws Exception {
    for (int from = 0; from < pngs.size(); from += batch) {
      List<float[]> px = new ArrayList<>();
      for (byte[] b : pngs.subList(from, Math.min(pngs.size(), from + batch))) px.add(pre.preprocess(b));
      clip.embedImages(px);
    }
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
        new TopicProvisioner(admin).ensure(TopicSpecs.from(config.asMap()), true);
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
        long first = 0;
        long last = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (seen.size() < pngs.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, ImageEmbedding> r : consumer.poll(Duration.ofMillis(100))) {
            seen.add(r.key());
            long at = r.value().getEmbeddedAt().toEpochMilli();
            first = first == 0 ? at : Math.min(first, at);
            last = Math.max(last, at);
          }
        }
        // the first batch's embeddedAt marks its end: count from there, for the images after it
        double secondsSpan = Math.max(1e-3, (last - first) / 1000.0);
        return (seen.size() - batch) / secondsSpan;
      }
    } finally {
      try (var w = Files.walk(state)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
