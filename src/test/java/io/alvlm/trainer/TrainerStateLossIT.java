package io.alvlm.trainer;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.service.ServiceHarness;
import io.alvlm.service.ServiceProcess;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.TopicSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer killed (SIGKILL) while labels stream in, most likely inside an open transaction, whose
 * state directory is then lost: the new instance has a new process id, so nothing fences the dead
 * one's transaction, and read_committed readers (its own restore included) wait until the broker
 * aborts it after {@code transaction.timeout.ms}. With Kafka's default (60 s) the models topic
 * advances again within 60 s of the restart, with versions neither skipped nor reused.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class TrainerStateLossIT {
  private static final int DIM = 32; // clip-tiny's projection
  @TempDir Path dir;

  @Test
  void aTrainerWhoseStateDirectoryIsWipedPublishesAgainWithinAMinute() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Path state = dir.resolve("state");
      Map<String, String> s = ServiceHarness.settings(kafka, state);
      s.put("role", "trainer");
      s.put("train.min-new-labels", "20");
      s.put("train.epochs", "2");
      s.put("train.gate", "always");
      Path config = dir.resolve("trainer.properties");
      ServiceHarness.writeConfig(config, s);
      ServiceHarness.createTopics(kafka, s);
      Path log = dir.resolve("trainer.log");
      String models = ServiceHarness.topics().models.name();

      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean feeding = new AtomicBoolean(true);
      Thread feeder = null;
      ServiceProcess first = ServiceProcess.start(config, log);
      try {
        sendLabels(kafka, sent, 20);
        awaitVersion(kafka, models, 1, Duration.ofSeconds(120), log);
        // labels keep coming (one acknowledged send at a time): the trainer's transactions (labelled
        // set, meta, models) are open most of the time, so the kill most likely leaves one open
        feeder = new Thread(() -> {
          try (KafkaProducer<String, TrainingEvent> p = producer(kafka)) {
            while (feeding.get() && sent.get() < 5000) send(p, sent).get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "label-feeder");
        feeder.start();
        awaitVersion(kafka, models, 2, Duration.ofSeconds(120), log);
      } finally {
        first.kill();
        feeding.set(false);
        if (feeder != null) feeder.join(30_000);
      }
      try (var w = Files.walk(state)) {
        w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      assertTrue(!Files.exists(state), "the state directory is gone");
      long before = maxVersion(kafka, models);

      long restart = System.nanoTime();
      try (ServiceProcess second = ServiceProcess.start(config, log)) {
        sendLabels(kafka, sent, 20); // a retraining is due whatever the dead instance had counted
        List<ConsumerRecord<String, PromptModel>> after = ServiceHarness.readUntil(kafka, models,
            ServiceHarness.topics().models.valueSerde().deserializer(),
            l -> l.stream().anyMatch(r -> r.value().getVersion() > before), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - restart) / 1e9;
        assertTrue(after.stream().anyMatch(r -> r.value().getVersion() > before),
            "no model after v" + before + " within 60 s of the restart on a wiped state directory; log:\n" + tail(log));
        System.out.printf("TrainerStateLossIT: v%d committed %.1f s after the restart on a wiped state directory%n",
            before + 1, seconds);
      }
      List<Long> versions = committed(kafka, models).stream().map(r -> r.value().getVersion()).toList();
      for (int i = 0; i < versions.size(); i++) {
        assertEquals((long) i, versions.get(i), "committed versions are 0, 1, 2, ... with none skipped or reused: " + versions);
      }
    }
  }

  /** Sends {@code n} more labelled examples, flushed. */
  private static void sendLabels(EmbeddedKafka kafka, AtomicInteger sent, int n) {
    try (KafkaProducer<String, TrainingEvent> p = producer(kafka)) {
      for (int k = 0; k < n; k++) send(p, sent);
      p.flush();
    }
  }

  private static KafkaProducer<String, TrainingEvent> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        ServiceHarness.topics().training.valueSerde().serializer());
  }

  /** The next labelled example (classes in turn, features near the class's axis). */
  private static java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
      KafkaProducer<String, TrainingEvent> p, AtomicInteger sent) {
    int i = sent.getAndIncrement();
    int c = i % ServiceHarness.CLASSES.size();
    float[] v = new float[DIM];
    v[c] = 1f;
    v[(c + 1 + i % 7) % DIM] = 0.3f;
    String id = "img-" + i;
    return p.send(new ProducerRecord<>(ServiceHarness.topics().training.name(), id, TrainingEvent.newBuilder()
        .setType(TrainingEventType.EXAMPLE).setId(id).setClassName(ServiceHarness.CLASSES.get(c))
        .setVector(VectorBytes.float32(v)).setDim(DIM).setAt(Instant.now()).build()));
  }

  private static void awaitVersion(EmbeddedKafka kafka, String models, long version, Duration timeout, Path log)
      throws Exception {
    List<ConsumerRecord<String, PromptModel>> l = ServiceHarness.readUntil(kafka, models,
        ServiceHarness.topics().models.valueSerde().deserializer(),
        r -> r.stream().anyMatch(x -> x.value().getVersion() >= version), timeout);
    assertTrue(l.stream().anyMatch(x -> x.value().getVersion() >= version), "no model v" + version + "; log:\n" + tail(log));
  }

  private static long maxVersion(EmbeddedKafka kafka, String models) {
    return committed(kafka, models).stream().mapToLong(r -> r.value().getVersion()).max().orElse(-1);
  }

  /** The models topic to its last stable offset. */
  private static List<ConsumerRecord<String, PromptModel>> committed(EmbeddedKafka kafka, String models) {
    return TopicSnapshot.read(kafka.clientConfig(), models, ServiceHarness.topics().models.valueSerde().deserializer(),
        Duration.ofSeconds(30));
  }

  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
