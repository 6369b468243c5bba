package io.alvlm.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.alvlm.Await;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.soak.PrometheusProcess;
import io.alvlm.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A running alvlm (role all, tiny CLIP, embedded broker) after one good image, one corrupt image and
 * one label went through it, so every metric the Grafana dashboard reads has had a reason to appear,
 * and a real Prometheus scraping its {@code /metrics} every second. The ITs that check the metrics
 * and the dashboard share it.
 */
public final class ScrapedService implements AutoCloseable {
  public static final Duration PATIENCE = Duration.ofSeconds(120);
  /** How often Prometheus scrapes the service. */
  public static final Duration SCRAPE = Duration.ofSeconds(1);
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedKafka kafka;
  private AlvlmService service;
  private PrometheusProcess prometheus;

  private ScrapedService() {}

  /**
   * Starts it all with its files under {@code dir} (relative to the project root); skips the test where
   * the {@code prometheus} binary is absent.
   */
  public static ScrapedService start(String dir) throws Exception {
    assumeTrue(PrometheusProcess.binary().isPresent(),
        "prometheus binary not on PATH: apt-get install -y prometheus (.ci/run does) to run this test");
    ScrapedService s = new ScrapedService();
    try {
      s.startAll(Files.createDirectories(Repo.path(dir)));
      return s;
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
  }

  private void startAll(Path dir) throws Exception {
    kafka = EmbeddedKafka.start();
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", kafka.bootstrapServers());
    s.put("state.dir", Files.createTempDirectory(dir, "state-").toString());
    s.put("model.dir", Repo.path("models/clip-tiny").toString());
    s.put("classes", "cat,dog");
    s.put("topics.images.partitions", "1");
    s.put("embed.max.wait.ms", "100");
    s.put("query.tick.ms", "200");
    s.put("query.min-new", "1");
    s.put("query.budget", "1");
    s.put("train.min-new-labels", "1");
    s.put("train.epochs", "1");
    s.put("train.holdout", "0.0");
    s.put("http.bind", "127.0.0.1");
    s.put("http.port", "0");
    ServiceConfig config = ServiceConfig.of(s);
    service = AlvlmService.start(config);
    service.awaitRunning(PATIENCE);
    Topics topics = new Topics(AvroSerdes.from(config.asMap()));
    Map<String, Object> p = new HashMap<>(AlvlmService.clientConfig(config));
    try (KafkaProducer<String, ImageEvent> images = new KafkaProducer<>(p, new StringSerializer(),
        topics.images.valueSerde().serializer())) {
      images.send(new ProducerRecord<>(topics.images.name(), "good", image("good", Files.readAllBytes(
          Repo.path("src/test/resources/fixtures/clip-tiny/images/img0.png")))));
      images.send(new ProducerRecord<>(topics.images.name(), "corrupt", image("corrupt",
          "not a png".getBytes(StandardCharsets.UTF_8))));
    }
    awaitHttp200("/images/good");
    try (KafkaProducer<String, Label> labels = new KafkaProducer<>(p, new StringSerializer(),
        topics.labels.valueSerde().serializer())) {
      labels.send(new ProducerRecord<>(topics.labels.name(), "good", Label.newBuilder().setId("good")
          .setOutcome(LabelOutcome.LABELED).setClassName("cat").setAnnotator("it").setLabeledAt(Instant.now()).build()));
    }
    prometheus = PrometheusProcess.start(Files.createTempDirectory(dir, "prometheus-"),
        Map.of("all", "127.0.0.1:" + service.httpPort()), SCRAPE);
  }

  private static ImageEvent image(String id, byte[] bytes) {
    return ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(bytes)).setContentType("image/png")
        .setSource("it").setTimestamp(Instant.now()).build();
  }

  private void awaitHttp200(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + service.httpPort() + path);
    Await.until(path + " answering 200", PATIENCE,
        () -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  public AlvlmService service() {
    return service;
  }

  public PrometheusProcess prometheus() {
    return prometheus;
  }

  @Override
  public void close() throws Exception {
    if (prometheus != null) prometheus.close();
    if (service != null) service.close();
    if (kafka != null) kafka.close();
  }
}
