package io.alvlm.service;

import org.junit.jupiter.api.Timeout;
import io.alvlm.config.ServiceConfig;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.alvlm.avro.ImageEmbedding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a broker that requires SASL (PLAIN over a SASL_PLAINTEXT listener, the embedded
 * broker's closest stand-in for SASL_SSL): with {@code kafka.security.protocol}, {@code kafka.sasl.*}
 * its admin client, consumers, producer and global consumer all authenticate and the loop runs; a wrong
 * password is refused.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SaslBrokerIT {
  private static final String PASSWORD = "sasl-S3cret-9";
  @TempDir Path dir;

  @Test
  void runsAgainstABrokerThatRequiresSasl() throws Exception {
    int saslPort = saslBroker(dir.resolve("broker"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("bootstrap.servers", "127.0.0.1:" + saslPort);
      s.put("kafka.security.protocol", "SASL_PLAINTEXT");
      s.put("kafka.sasl.mechanism", "PLAIN");
      s.put("kafka.sasl.jaas.config", jaas(PASSWORD));
      s.put("query.min-new", "1000000");
      ServiceConfig config = ServiceConfig.of(s);

      ExecutionException refused = assertThrows(ExecutionException.class, () -> {
        try (Admin admin = Admin.create(AlvlmService.clientConfig(config.with(Map.of("kafka.sasl.jaas.config", jaas("wrong")))))) {
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }
      });
      assertInstanceOf(SaslAuthenticationException.class, refused.getCause());

      Topics topics = ServiceHarness.topics();
      try (AlvlmService service = AlvlmService.start(config)) {
        service.awaitRunning(Duration.ofSeconds(120));
        ServiceHarness.produce(kafka, topics, ServiceHarness.fashion(), 0, 20);
        List<?> embedded = ServiceHarness.<ImageEmbedding>readUntil(kafka, topics.embeddings.name(),
            topics.embeddings.valueSerde().deserializer(), l -> l.size() >= 20, Duration.ofSeconds(120));
        assertEquals(20, embedded.size(), "embedded through SASL-authenticated clients");
        List<?> models = ServiceHarness.readUntil(kafka, topics.models.name(), topics.models.valueSerde().deserializer(),
            l -> !l.isEmpty(), Duration.ofSeconds(60));
        assertEquals(1, models.size(), "the trainer's transactional producer published the zero-shot model");
      }
    }
  }

  private static String jaas(String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alvlm\" password=\"" + password + "\";";
  }

  /** Formats a broker in {@code dir}, then adds a SASL_PLAINTEXT listener (PLAIN, user alvlm) to its config. */
  private static int saslBroker(Path dir) throws IOException {
    EmbeddedKafka.start(dir).close();
    Path file = dir.resolve("broker.properties");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String sasl = "SASL_PLAINTEXT://127.0.0.1:" + port;
    p.put("listeners", p.getProperty("listeners") + "," + sasl);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + sasl);
    p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_alvlm=\"" + PASSWORD + "\";");
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "alvlm embedded broker with SASL");
    }
    return port;
  }
}
