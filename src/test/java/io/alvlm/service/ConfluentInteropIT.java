package io.alvlm.service;

import io.alvlm.broker.SchemaRegistryStandIn;
import org.junit.jupiter.api.Timeout;
import io.alvlm.config.ServiceConfig;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.TopicSpecs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.ConnectionClosingProxy;
import io.alvlm.serde.SubjectNameStrategy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with a client alvlm did not write: Confluent's Python client (Debian's
 * python3-confluent-kafka, librdkafka and Confluent's Avro wire format) feeds the service on a real
 * broker with ImageEvents and Labels and decodes its AnnotationRequests and PromptModels, under each
 * subject name strategy, behind a registry that drops every pooled connection, and with a registry
 * that is down for the first 30 s. No record may reach the dead-letter topic.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConfluentInteropIT {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("src/test/python/confluent_interop.py");
  private static final int IMAGES = 30;
  private static final int BUDGET = 5;
  @TempDir Path dir;

  enum Case { TOPIC, RECORD, TOPIC_RECORD, CONNECTIONS_DROPPED, DOWN_FOR_30S }

  @ParameterizedTest
  @EnumSource(Case.class)
  // each case has its own broker, registry and service: two at a time, while this class runs
  @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
  void confluentsPythonClientRunsTheLoop(Case c) throws Exception {
    assumeTrue(confluentPythonPresent(), "Confluent's Python client is absent: apt-get install python3-confluent-kafka"
        + " python3-avro python3-requests (.ci/run installs them)");
    SubjectNameStrategy strategy = switch (c) {
      case RECORD -> SubjectNameStrategy.RECORD;
      case TOPIC_RECORD -> SubjectNameStrategy.TOPIC_RECORD;
      default -> SubjectNameStrategy.TOPIC;
    };
    int port = freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SchemaRegistryStandIn registry = c == Case.DOWN_FOR_30S ? null : SchemaRegistryStandIn.start(port);
        ConnectionClosingProxy proxy = c != Case.CONNECTIONS_DROPPED ? null
            : ConnectionClosingProxy.start(registry.url(), ConnectionClosingProxy.Close.ON_REUSE);
        ConnectionClosingProxy pythonProxy = c != Case.CONNECTIONS_DROPPED ? null
            : ConnectionClosingProxy.start(registry.url(), ConnectionClosingProxy.Close.AFTER_ANSWER)) {
      String url = proxy != null ? proxy.url() : "http://127.0.0.1:" + port;
      // Confluent's Python client (requests/urllib3) reuses a pooled connection only after checking it
      // is still open, and does not retry one that dies under a request: it gets the connection closed
      // right after each answer, the service gets it closed as its next request arrives (no race)
      String pythonUrl = pythonProxy != null ? pythonProxy.url() : url;
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("serde.format", "confluent");
      s.put("schema.registry.url", url);
      s.put("schema.registry.basic.auth.user.info", SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD);
      s.put(SubjectNameStrategy.KEY, strategy.configValue());
      s.put("query.budget", Integer.toString(BUDGET));
      s.put("query.min-new", Integer.toString(IMAGES));
      s.put("query.interval.ms", "600000");
      s.put("train.min-new-labels", Integer.toString(BUDGET));
      s.put("train.epochs", "1");
      s.put("train.gate", "always");
      // the down case: the registry comes up on its port after 30 s, while the service and the client wait
      CompletableFuture<SchemaRegistryStandIn> late = c != Case.DOWN_FOR_30S ? CompletableFuture.completedFuture(null)
          : CompletableFuture.supplyAsync(() -> startRegistry(port), CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
      try (AlvlmService service = AlvlmService.start(ServiceConfig.of(s))) {
        String base = "http://127.0.0.1:" + service.httpPort();
        if (c == Case.DOWN_FOR_30S) {
          assertTrue(waitFor(() -> status(base + "/health/ready") == 503, Duration.ofSeconds(25)),
              "not ready while the registry is down");
        }
        Map<?, ?> summary = runPython(kafka, pythonUrl, strategy);
        assertTrue(((List<?>) summary.get("requests")).size() >= BUDGET, "requests decoded: " + summary);
        assertTrue(((List<?>) summary.get("model_versions")).containsAll(List.of(0, 1)), "models decoded: " + summary);
        assertTrue(waitFor(() -> status(base + "/health/ready") == 200, Duration.ofSeconds(30)), "ready again");
        String metrics = get(base + "/metrics");
        if (c == Case.DOWN_FOR_30S) {
          assertTrue(counter(metrics, "unreachable") > 0, "the outage shows in alvlm_registry_errors_total");
        }
        if (c == Case.CONNECTIONS_DROPPED) {
          assertTrue(proxy.closedConnections() > 0 && counter(metrics, "connection-dropped") > 0,
              "pooled connections were dropped and retried");
          assertTrue(pythonProxy.closedConnections() > 0, "the Python client's connections were closed");
        }
      }
      SchemaRegistryStandIn r = registry != null ? registry : late.get();
      Set<String> subjects = r.subjects();
      if (registry == null) {
        r.close();
      }
      assertTrue(subjects.containsAll(expectedSubjects(strategy)), strategy.configValue() + ": " + subjects);
      List<?> dlq = ServiceHarness.readUntil(kafka, TopicSpecs.DLQ,
          new org.apache.kafka.common.serialization.ByteArrayDeserializer(), l -> !l.isEmpty(), Duration.ofSeconds(3));
      assertEquals(0, dlq.size(), "nothing dead-lettered");
    }
  }

  private static Set<String> expectedSubjects(SubjectNameStrategy s) {
    Set<String> out = new TreeSet<>();
    for (String[] topicType : new String[][] {{TopicSpecs.IMAGES, "ImageEvent"}, {TopicSpecs.LABELS, "Label"},
        {TopicSpecs.QUERIES, "AnnotationRequest"}, {TopicSpecs.MODELS, "PromptModel"}}) {
      String type = "io.alvlm.avro." + topicType[1];
      out.add(switch (s) {
        case TOPIC -> topicType[0] + "-value";
        case RECORD -> type;
        case TOPIC_RECORD -> topicType[0] + "-" + type;
      });
    }
    return out;
  }

  private Map<?, ?> runPython(EmbeddedKafka kafka, String registryUrl, SubjectNameStrategy strategy) throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Path images = Files.createDirectories(dir.resolve("images"));
    Map<String, String> truth = new HashMap<>();
    for (int i = 0; i < IMAGES; i++) {
      Files.write(images.resolve("img-" + i + ".png"), data.png(i));
      truth.put("img-" + i, ServiceHarness.CLASSES.get(data.label(i)));
    }
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("bootstrap", kafka.bootstrapServers());
    cfg.put("registry_url", registryUrl);
    cfg.put("user_info", SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD);
    cfg.put("strategy", strategy.configValue());
    cfg.put("schemas", Path.of("schemas").toAbsolutePath().toString());
    cfg.put("images_dir", images.toString());
    cfg.put("images_topic", TopicSpecs.IMAGES);
    cfg.put("labels_topic", TopicSpecs.LABELS);
    cfg.put("queries_topic", TopicSpecs.QUERIES);
    cfg.put("models_topic", TopicSpecs.MODELS);
    cfg.put("budget", BUDGET);
    cfg.put("model_version", 1);
    cfg.put("truth", truth);
    cfg.put("timeout_s", 150);
    Path cfgFile = dir.resolve("interop.json");
    ObjectMapper json = new ObjectMapper();
    json.writeValue(cfgFile.toFile(), cfg);
    Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), cfgFile.toString())
        .redirectError(dir.resolve("python.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(170, TimeUnit.SECONDS), "python finished");
    assertEquals(0, p.exitValue(), "python failed: " + Files.readString(dir.resolve("python.err")));
    return json.readValue(out.trim(), Map.class);
  }

  private static boolean confluentPythonPresent() throws InterruptedException {
    try {
      return Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
          "import confluent_kafka.avro, confluent_kafka.schema_registry").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static SchemaRegistryStandIn startRegistry(int port) {
    try {
      return SchemaRegistryStandIn.start(port);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double counter(String metrics, String kind) {
    String prefix = "alvlm_registry_errors_total{kind=\"" + kind + "\"} ";
    return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst().orElse(-1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    return io.alvlm.Await.within(timeout, condition::getAsBoolean);
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
