package io.alvlm.deploy;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
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
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Prometheus scrapes a running alvlm (role all, tiny CLIP, embedded broker) after one good
 * image, one corrupt image and one label went through it, so every metric the Grafana dashboard
 * reads has had a reason to appear. Skipped only when the {@code prometheus} binary is absent
 * ({@code .ci/run} installs it).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private final HttpClient http = HttpClient.newHttpClient();
  private Path dir;
  private EmbeddedKafka kafka;
  private AlvlmService service;
  private PrometheusServer prometheus;

  @BeforeAll
  void startServiceAndPrometheus() throws Exception {
    assumeTrue(PrometheusServer.binary().isPresent(),
        "prometheus binary not on PATH: apt-get install -y prometheus (.ci/run does) to run this test");
    dir = Files.createDirectories(Repo.path("target/prometheus-it"));
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
    Path yml = dir.resolve("prometheus.yml");
    Files.writeString(yml, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: alvlm
            metrics_path: /metrics
            static_configs:
              - targets: ["127.0.0.1:%d"]
                labels: {role: all}
        """.formatted(service.httpPort()));
    prometheus = PrometheusServer.start(yml, Files.createTempDirectory(dir, "prometheus-"));
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

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (service != null) {
      service.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void scrapesTheServiceAndSeesEveryMetricTheDashboardReads() throws Exception {
    Set<String> wanted = GrafanaDashboard.alvlm().metricNames();
    Set<String> missing = new TreeSet<>(wanted);
    Await.within(PATIENCE, () -> {
      prometheus.get("/api/v1/label/__name__/values").path("data").forEach(n -> missing.remove(n.asText()));
      return missing.isEmpty();
    });
    Files.writeString(dir.resolve("scrape.txt"), service.registry().scrape());
    JsonNode targets = prometheus.targets();
    assertEquals("up", targets.path(0).path("health").asText(), "scrape target: " + targets);
    assertTrue(missing.isEmpty(), "dashboard metrics the app does not export: " + missing
        + " (the app's scrape is in target/prometheus-it/scrape.txt)");
  }

  @Test
  void countsTheEmbeddedImageAndTheDeadLetter() throws Exception {
    assertTrue(awaitValue("sum(alvlm_images_embedded_total)") >= 1, "images embedded");
    assertTrue(awaitValue("sum(alvlm_dlq_records_total{stage=\"embedder\"})") >= 1, "dead letters of the embedder");
    assertTrue(awaitValue("sum(alvlm_labels_total{outcome=\"labeled\"})") >= 1, "labels");
  }

  @Test
  void everyDashboardQueryRunsInPrometheus() throws Exception {
    for (GrafanaDashboard.Query q : GrafanaDashboard.alvlm().queries()) {
      JsonNode r = prometheus.query(GrafanaDashboard.runnable(q.expr()));
      assertEquals("success", r.path("status").asText(), q.panel() + "/" + q.refId() + " `" + q.expr() + "`: " + r);
    }
  }

  @Test
  void composePrometheusConfigPassesPromtool() throws Exception {
    Path promtool = PrometheusServer.executable("promtool").orElse(null);
    assumeTrue(promtool != null, "promtool not on PATH");
    Process p = new ProcessBuilder(promtool.toString(), "check", "config", Repo.path("docker/prometheus/prometheus.yml").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  /** The first non-empty result of an instant query, waiting for scrapes to catch up. */
  private double awaitValue(String promql) throws Exception {
    JsonNode[] last = {null};
    try {
      return Await.value(promql + " non-empty", PATIENCE, () -> {
        last[0] = prometheus.query(promql);
        JsonNode result = last[0].path("data").path("result");
        double v = result.size() > 0 ? result.get(0).path("value").path(1).asDouble() : 0;
        return v > 0 ? java.util.Optional.of(v) : java.util.Optional.empty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(promql + " stayed empty: " + last[0], e);
    }
  }

}
