package io.alvlm.chaos;

import io.alvlm.topics.TopicSnapshot;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the service's output topics as a read-committed consumer on its own thread, so a chaos run
 * or a soak can time its kills (after k embeddings, after a round, while training) and see when the loop is at
 * rest. Progress only: the verdict comes from {@link TopicSnapshot}s read after the run.
 */
public final class TopicWatch implements AutoCloseable {
  private final Topics topics;
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  public final Set<String> embedded = ConcurrentHashMap.newKeySet();
  public final Set<String> requested = ConcurrentHashMap.newKeySet();
  public final Set<String> labelled = ConcurrentHashMap.newKeySet();
  public final Set<String> applied = ConcurrentHashMap.newKeySet();
  public final AtomicInteger embeddings = new AtomicInteger();
  public final AtomicInteger rounds = new AtomicInteger();
  public final AtomicInteger models = new AtomicInteger();
  public final AtomicInteger roundsComplete = new AtomicInteger();
  public final AtomicInteger deadLetters = new AtomicInteger();
  /** Labels that carry an annotator's note ({@code Label.note}, Label v3 on). */
  public final AtomicInteger notes = new AtomicInteger();
  /** Neighbour-list writes seen uncommitted: a pool index build (a fold of arrivals) in progress. */
  public final AtomicInteger foldWrites = new AtomicInteger();
  /** The latest query round's time in seconds ({@code timingsMs.round_total}, as the pool's timer); NaN before one. */
  public volatile double lastRoundSeconds = Double.NaN;
  private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
  private final Thread foldThread;

  public TopicWatch(Map<String, Object> clientConfig, Topics topics) {
    this.topics = topics;
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put("isolation.level", "read_committed");
    c.put("auto.offset.reset", "earliest");
    c.put("enable.auto.commit", false);
    thread = new Thread(() -> loop(c), "chaos-watch");
    thread.setDaemon(true);
    thread.start();
    Map<String, Object> f = new HashMap<>(clientConfig);
    f.put("isolation.level", "read_uncommitted");
    f.put("group.id", "chaos-fold-watch-" + System.nanoTime());
    f.put("auto.offset.reset", "latest");
    f.put("metadata.max.age.ms", 1000);
    foldThread = new Thread(() -> watchFolds(f), "chaos-fold-watch");
    foldThread.setDaemon(true);
    foldThread.start();
  }

  /** Counts writes to the pool's neighbour-list changelog as they happen, before their transaction commits. */
  private void watchFolds(Map<String, Object> c) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(java.util.regex.Pattern.compile(".*-pool-neighbors-changelog"));
      while (running.get()) {
        foldWrites.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    } catch (org.apache.kafka.common.KafkaException e) {
      // the broker restarts under a chaos run: the moment is then found by the embeddings count alone
    }
  }

  private void loop(Map<String, Object> c) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      // assigned, not subscribed: no group, so a broker restart never rewinds it (counts stay exact)
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : List.of(topics.embeddings.name(), topics.queries.name(), topics.labels.name(), topics.rounds.name(),
          topics.models.name(), topics.training.name(), topics.dlq.name())) {
        consumer.partitionsFor(t, Duration.ofSeconds(60)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          see(r);
          lastChange.set(System.nanoTime());
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void see(ConsumerRecord<String, byte[]> r) {
    String t = r.topic();
    if (t.equals(topics.embeddings.name())) {
      embeddings.incrementAndGet();
      embedded.add(r.key());
    } else if (t.equals(topics.queries.name())) {
      AnnotationRequest q = topics.queries.valueSerde().deserializer().deserialize(t, r.value());
      requested.add(q.getId());
    } else if (t.equals(topics.labels.name())) {
      Label l = topics.labels.valueSerde().deserializer().deserialize(t, r.value());
      if (l.getOutcome() == LabelOutcome.LABELED) {
        labelled.add(l.getId());
      }
      if (l.getNote() != null) {
        notes.incrementAndGet();
      }
    } else if (t.equals(topics.training.name())) {
      TrainingEvent e = topics.training.valueSerde().deserializer().deserialize(t, r.value());
      if (e.getType() == TrainingEventType.EXAMPLE) {
        applied.add(e.getId());
      } else {
        roundsComplete.incrementAndGet();
      }
    } else if (t.equals(topics.rounds.name())) {
      lastRoundSeconds = topics.rounds.valueSerde().deserializer().deserialize(t, r.value()).getTimingsMs()
          .getOrDefault("round_total", Double.NaN) / 1000;
      rounds.incrementAndGet();
    } else if (t.equals(topics.models.name())) {
      models.incrementAndGet();
    } else if (t.equals(topics.dlq.name())) {
      deadLetters.incrementAndGet();
    }
  }

  /** Every request seen answered, and every answer applied (one training example each). */
  public boolean answeredAndApplied() {
    return labelled.containsAll(requested) && applied.containsAll(labelled);
  }

  /** Time since the last committed record on any watched topic. */
  public Duration quietFor() {
    return Duration.ofNanos(System.nanoTime() - lastChange.get());
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
    foldThread.join(10_000);
  }
}
