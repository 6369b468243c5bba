package io.alvlm.service;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.data.IdxDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service is killed with SIGKILL while it embeds, then restarted: every image is embedded
 * exactly once (read-committed view of alvlm.embeddings), none lost, none doubled; and a restart on a
 * wiped state directory restores the pool from its changelogs.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServiceRestartIT {
  private static final int IMAGES = 1500; // killed after 300: mid-stream with room on both sides
  @TempDir Path dir;

  @Test
  void killedMidStreamEmbedsEveryImageExactlyOnce() throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("embed.batch.size", "8");
      s.put("query.min-new", "1000000");
      s.put("query.interval.ms", "3600000");
      Path config = dir.resolve("alvlm.properties");
      ServiceHarness.writeConfig(config, s);
      Path log = dir.resolve("service.log");
      ServiceHarness.createTopics(kafka, s);
      ServiceHarness.produce(kafka, topics, data, 0, IMAGES);

      ServiceProcess first = ServiceProcess.start(config, log);
      List<ConsumerRecord<String, ImageEmbedding>> before = ServiceHarness.readUntil(kafka, topics.embeddings.name(),
          topics.embeddings.valueSerde().deserializer(), l -> l.size() >= 300, Duration.ofSeconds(120));
      first.kill();
      assertTrue(before.size() >= 300, "the service embedded before it was killed; log:\n" + tail(log));
      assertTrue(before.size() < IMAGES, "killed mid-stream, not after the end (" + before.size() + ")");

      try (ServiceProcess second = ServiceProcess.start(config, log)) {
        ServiceHarness.readUntil(kafka, topics.embeddings.name(), topics.embeddings.valueSerde().deserializer(),
            l -> l.size() >= IMAGES, Duration.ofSeconds(180));
        // read again, a few seconds on, so a late duplicate would be counted too
        List<ConsumerRecord<String, ImageEmbedding>> settled = ServiceHarness.readUntil(kafka, topics.embeddings.name(),
            topics.embeddings.valueSerde().deserializer(), l -> false, Duration.ofSeconds(8));
        Set<String> ids = new HashSet<>();
        settled.forEach(r -> ids.add(r.key()));
        assertEquals(IMAGES, ids.size(), "no image lost; log:\n" + tail(log));
        assertEquals(IMAGES, settled.size(), "no image embedded twice");
      }
    }
  }

  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
