package io.alvlm.service;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.config.ServiceConfig;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.PromptModel;
import io.alvlm.data.IdxDataset;
import io.alvlm.demo.SimulatedAnnotator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop on a real broker: embed, pool, rounds, labels from an annotator, retraining, re-scoring, HTTP. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServiceLoopIT {
  private static final int IMAGES = 400;
  @TempDir Path state;

  @Test
  void imagesFlowThroughRoundsLabelsAndRetrainedModels() throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, state);
      s.put("query.budget", "10");
      s.put("query.min-new", Integer.toString(IMAGES));
      s.put("query.interval.ms", "600000");
      s.put("train.min-new-labels", "1000");
      s.put("train.epochs", "3");
      s.put("train.gate", "always");
      ServiceConfig config = ServiceConfig.of(s);
      try (AlvlmService service = AlvlmService.start(config);
          SimulatedAnnotator annotator = new SimulatedAnnotator(AlvlmService.clientConfig(config), topics,
              id -> ServiceHarness.CLASSES.get(data.label(Integer.parseInt(id.substring(4)))))) {
        ServiceHarness.produce(kafka, topics, data, 0, IMAGES);
        ServiceHarness.produceRaw(kafka, topics.images.name(), "broken", new byte[] {1, 2, 3});

        List<ConsumerRecord<String, PromptModel>> models = ServiceHarness.readUntil(kafka, topics.models.name(),
            topics.models.valueSerde().deserializer(), l -> l.stream().anyMatch(r -> r.value().getVersion() >= 2),
            Duration.ofSeconds(150));
        assertTrue(models.stream().anyMatch(r -> r.value().getVersion() == 0), "zero-shot model v0 published");
        PromptModel v2 = models.stream().filter(r -> r.value().getVersion() == 2).findFirst().orElseThrow().value();
        assertEquals(20.0, v2.getMetrics().get("train_labels") + v2.getMetrics().get("heldout_labels"),
            "v2 is trained on both rounds' labels");

        List<ConsumerRecord<String, AnnotationRequest>> queries = ServiceHarness.readUntil(kafka, topics.queries.name(),
            topics.queries.valueSerde().deserializer(), l -> l.size() >= 30, Duration.ofSeconds(60));
        Set<String> asked = new HashSet<>();
        queries.forEach(r -> assertTrue(asked.add(r.key()), "image " + r.key() + " asked twice"));
        assertEquals(3, queries.stream().map(r -> r.value().getRound()).distinct().count(),
            "rounds 2 and 3 were opened by new models");

        List<ConsumerRecord<String, DeadLetter>> dlq = ServiceHarness.readUntil(kafka, topics.dlq.name(),
            topics.dlq.valueSerde().deserializer(), l -> !l.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, dlq.size());
        assertEquals("deserialization", dlq.get(0).value().getStage());

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + service.httpPort();
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> pool = json.readValue(get(http, base + "/pool"), Map.class);
        assertEquals(IMAGES, ((Number) pool.get("unlabeled")).intValue() + ((Number) pool.get("pending")).intValue()
            + ((Number) pool.get("labeled")).intValue());
        String first = queries.get(0).key();
        Map<?, ?> image = json.readValue(get(http, base + "/images/" + first), Map.class);
        assertEquals("LABELED", image.get("status"));
        assertEquals(ServiceHarness.CLASSES.get(data.label(Integer.parseInt(first.substring(4)))), image.get("label"));
        String metrics = get(http, base + "/metrics");
        assertTrue(metrics.contains("alvlm_images_embedded_total " + IMAGES + ".0"), "every image embedded once");
        assertTrue(metrics.contains("kafka_stream"), "Kafka Streams metrics are exported");
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/pool")).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "endpoints are read-only");
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }
}
