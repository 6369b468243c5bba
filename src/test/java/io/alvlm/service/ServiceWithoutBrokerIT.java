package io.alvlm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PromptModel;
import io.alvlm.chaos.ServiceChild;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service runs laid out as its Docker image lays it out: alvlm.jar beside a lib/ holding only
 * target/service-lib, without the KRaft broker, Scala or log4j that demo, chaos and the benches use.
 * The service (role all) does its work there: the images are embedded and the trainer publishes the
 * zero-shot model, with no class missing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServiceWithoutBrokerIT {
  @TempDir Path dir;

  @Test
  void theServiceRunsFromItsImagesLibrariesAlone() throws Exception {
    Path image = dir.resolve("opt");
    Files.createDirectories(image.resolve("lib"));
    Files.copy(Path.of("target/alvlm.jar"), image.resolve("alvlm.jar"));
    List<String> libs;
    try (Stream<Path> s = Files.list(Path.of("target/service-lib"))) {
      libs = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    for (String jar : libs) {
      Files.createSymbolicLink(image.resolve("lib").resolve(jar), Path.of("target/service-lib", jar).toAbsolutePath());
    }
    for (String broker : List.of("kafka_2.13-", "scala-library-", "log4j-core-", "kafka-server-", "kafka-raft-")) {
      assertFalse(libs.stream().anyMatch(j -> j.startsWith(broker)), "service-lib holds " + broker + "*: " + libs);
    }
    assertTrue(libs.stream().anyMatch(j -> j.startsWith("kafka-streams-")), "service-lib lacks kafka-streams: " + libs);

    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("query.min-new", "1000000");
      Path config = dir.resolve("alvlm.properties");
      ServiceHarness.writeConfig(config, s);
      ServiceHarness.createTopics(kafka, s);
      ServiceHarness.produce(kafka, topics, ServiceHarness.fashion(), 0, 12);
      Path log = dir.resolve("service.log");
      try (ServiceChild service = ServiceChild.start(image.resolve("alvlm.jar"), config, log, List.of("-Xmx1g"))) {
        var embeddings = ServiceHarness.<ImageEmbedding>readUntil(kafka, topics.embeddings.name(),
            topics.embeddings.valueSerde().deserializer(), l -> l.size() >= 12, Duration.ofSeconds(180));
        assertEquals(12, embeddings.size(), "embeddings; log:\n" + Files.readString(log));
        var models = ServiceHarness.<PromptModel>readUntil(kafka, topics.models.name(),
            topics.models.valueSerde().deserializer(), l -> !l.isEmpty(), Duration.ofSeconds(60));
        assertEquals(0, models.get(0).value().getVersion(), "the trainer's zero-shot model");
      }
      String text = Files.readString(log);
      assertFalse(text.contains("NoClassDefFoundError") || text.contains("ClassNotFoundException"), text);
    }
  }
}
