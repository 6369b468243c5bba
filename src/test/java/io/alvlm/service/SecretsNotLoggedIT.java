package io.alvlm.service;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.Await;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.chaos.ServiceChild;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service JVM runs with credentials in its config (a SASL JAAS password, TLS store passwords,
 * registry basic auth) and Kafka's own config dumps switched on, through start, a dead letter, a
 * failing schema registry and shutdown: no credential ever appears in its log.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecretsNotLoggedIT {
  private static final List<String> SECRETS = List.of("jaas-S3cret-7731", "ks-S3cret-2", "key-S3cret-3",
      "registry-S3cret-4", Base64.getEncoder().encodeToString("alvlm:registry-S3cret-4".getBytes(StandardCharsets.UTF_8)));
  private static final List<String> VERBOSE = List.of("-Xmx1g", "-Dorg.slf4j.simpleLogger.log.io.alvlm=debug",
      "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=info",
      "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig=info");
  @TempDir Path dir;

  @Test
  void noCredentialReachesTheLog() throws Exception {
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      // the broker is PLAINTEXT, so the SASL and TLS settings are carried but not used
      s.put("kafka.sasl.mechanism", "PLAIN");
      s.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alvlm\" "
          + "password=\"jaas-S3cret-7731\";");
      s.put("kafka.ssl.keystore.password", "ks-S3cret-2");
      s.put("kafka.ssl.key.password", "key-S3cret-3");
      s.put("schema.registry.basic.auth.user.info", "alvlm:registry-S3cret-4");
      s.put("query.min-new", "1000000");
      Path config = dir.resolve("alvlm.properties");
      ServiceHarness.writeConfig(config, s);
      Path log = dir.resolve("service.log");
      ServiceHarness.createTopics(kafka, s);
      ServiceHarness.produce(kafka, topics, ServiceHarness.fashion(), 0, 20);
      ServiceHarness.produceRaw(kafka, topics.images.name(), "junk", new byte[] {1, 2, 3});
      Path jar = Path.of("target/alvlm.jar").toAbsolutePath();
      try (ServiceChild service = ServiceChild.start(jar, config, log, VERBOSE)) {
        ServiceHarness.<ImageEmbedding>readUntil(kafka, topics.embeddings.name(), topics.embeddings.valueSerde().deserializer(),
            l -> l.size() >= 20, Duration.ofSeconds(120));
        ServiceHarness.readUntil(kafka, topics.dlq.name(), topics.dlq.valueSerde().deserializer(), l -> !l.isEmpty(),
            Duration.ofSeconds(30));
      }
      // a registry that refuses connections: the service fails its tasks and logs why
      s.put("serde.format", "confluent");
      s.put("schema.registry.url", "http://127.0.0.1:9/");
      s.put("application.id", "alvlm-registry-down");
      ServiceHarness.writeConfig(config, s);
      try (ServiceChild service = ServiceChild.start(jar, config, log, VERBOSE)) {
        Await.until("the registry failure in the service's log", Duration.ofSeconds(120),
            () -> Files.readString(log).contains("127.0.0.1:9"));
      }
      String text = Files.readString(log);
      assertTrue(text.contains("sasl.jaas.config = [hidden]"), "Kafka's config dumps were logged (the test sees them)");
      assertTrue(text.contains("sent to alvlm.dlq"), "the dead letter was logged");
      assertTrue(text.contains("127.0.0.1:9"), "the registry failure was logged");
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), "the log holds a credential: " + secret);
      }
    }
  }
}
