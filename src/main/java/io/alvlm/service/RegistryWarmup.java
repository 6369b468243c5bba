package io.alvlm.service;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.config.Role;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.RegistryRetry;
import io.alvlm.serde.SchemaRegistryException;
import io.alvlm.serde.WireFormat;
import io.alvlm.stream.TransactionTimeout;
import io.alvlm.topics.TopicSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps registry waits out of transactions. A registry call on a stream thread runs while the task's
 * transaction is open, and a wait past {@code transaction.timeout.ms} gets the producer fenced and
 * the work redone, over and over for as long as the registry is away. So, with
 * {@code serde.format=confluent}:
 * <ul>
 *   <li>before its streams start, an instance reads every version of the subjects it reads and
 *   finds the ids of the schemas it writes ({@link #run}), waiting as long as the registry takes:
 *   no transaction is open then. It waits on a thread of its own ({@link #thenStart}), so that its
 *   HTTP side answers meanwhile: live, not ready. A record written with a
 *   schema seen then needs no call later, so a registry outage passes unnoticed by a running instance;
 *   <li>a call on a stream thread (a schema registered after the start) gives up after at most
 *   {@value #SHARE_PERCENT}% of the transaction timeout ({@link #streamThreadSettings}): the task fails
 *   before its transaction can time out, and its thread starts again from the last commit.
 * </ul>
 */
final class RegistryWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryWarmup.class);
  static final int SHARE_PERCENT = 40;

  /** A subject the instance reads ({@code writes} false) or writes records of. */
  record Subject(String topic, Class<? extends SpecificRecord> type, boolean writes) {}

  private RegistryWarmup() {}

  /** The subjects of the instance's roles: what its sources read, its sinks and dead letters write. */
  static List<Subject> subjects(ServiceConfig c) {
    List<Subject> s = new ArrayList<>();
    s.add(new Subject(TopicSpecs.MODELS, PromptModel.class, c.runs(Role.TRAINER)));
    s.add(new Subject(TopicSpecs.DLQ, DeadLetter.class, true));
    if (c.runs(Role.EMBEDDER)) {
      s.add(new Subject(TopicSpecs.IMAGES, ImageEvent.class, false));
      s.add(new Subject(TopicSpecs.EMBEDDINGS, ImageEmbedding.class, true));
    }
    if (c.runs(Role.POOL)) {
      s.add(new Subject(TopicSpecs.LABELS, Label.class, false));
      s.add(new Subject(TopicSpecs.CONTROL, io.alvlm.avro.RoundControl.class, false));
      s.add(new Subject(TopicSpecs.QUERIES, AnnotationRequest.class, true));
      s.add(new Subject(TopicSpecs.ROUNDS, QueryRound.class, true));
      s.add(new Subject(TopicSpecs.NOTICES, io.alvlm.avro.PoolNotice.class, true));
      s.add(new Subject(TopicSpecs.TRAINING, TrainingEvent.class, true));
      if (!c.runs(Role.EMBEDDER)) {
        s.add(new Subject(TopicSpecs.EMBEDDINGS, ImageEmbedding.class, false));
      }
    }
    if (c.runs(Role.TRAINER) && !c.runs(Role.POOL)) {
      s.add(new Subject(TopicSpecs.TRAINING, TrainingEvent.class, false));
    }
    return s;
  }

  /**
   * The serde settings of the client the topology and the dead-letter handlers share: the retry
   * deadline at most {@value #SHARE_PERCENT}% of the transaction timeout.
   */
  static Map<String, String> streamThreadSettings(ServiceConfig c) {
    Map<String, String> m = new HashMap<>(c.asMap());
    long bound = TransactionTimeout.of(c).toMillis() * SHARE_PERCENT / 100;
    if (c.get(Settings.REGISTRY_RETRY_DEADLINE_MS) > bound) {
      m.put(RegistryRetry.DEADLINE_MS, Long.toString(bound));
    }
    return m;
  }

  /**
   * Starts {@code streams}: at once without a registry; with one, on a thread of its own once
   * {@link #run} has warmed the client (the thread, returned, ends early when interrupted: the instance
   * is closing). A warm-up that fails unexpectedly is logged and the streams start anyway: their
   * calls are bounded by {@link #streamThreadSettings}.
   */
  static Thread thenStart(ServiceConfig c, AvroSerdes serdes, KafkaStreams streams) {
    if (c.get(Settings.SERDE_FORMAT) != WireFormat.CONFLUENT) {
      streams.start();
      return null;
    }
    Thread t = new Thread(() -> {
      try {
        if (!run(c, serdes, subjects(c))) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.error("schema registry warm-up failed; starting the streams without it", e);
      }
      try {
        streams.start();
      } catch (IllegalStateException closedMeanwhile) {
        LOG.info("the instance closed before its streams started");
      }
    }, "alvlm-registry-warmup");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Warms {@code serdes}' registry client for {@code subjects}, trying again until every call has
   * succeeded; logs while it waits. Does nothing without a registry. A refusal (say, a schema that is
   * not registered while auto-registration is off) is logged and left for the record that meets it.
   * Returns false when the thread was interrupted before the warm-up was done.
   */
  static boolean run(ServiceConfig c, AvroSerdes serdes, List<Subject> subjects) {
    if (c.get(Settings.SERDE_FORMAT) != WireFormat.CONFLUENT) {
      return true;
    }
    long start = System.nanoTime();
    long lastLog = start;
    for (Subject s : subjects) {
      for (;;) {
        try {
          serdes.warm(s.topic(), s.type(), s.writes());
          break;
        } catch (SchemaRegistryException e) {
          if (Thread.currentThread().isInterrupted()) {
            return false;
          }
          if (!e.outage()) {
            LOG.warn("schema registry refused the warm-up of {} on {}: {}", s.type().getSimpleName(), s.topic(), e.getMessage());
            break;
          }
          if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos() || lastLog == start) {
            LOG.warn("waiting for the schema registry before starting the streams ({} s so far): {}",
                (System.nanoTime() - start) / 1_000_000_000L, e.getMessage());
            lastLog = System.nanoTime();
          }
          // no pause here: the failed call has already backed off for its whole deadline
        }
      }
    }
    if (lastLog != start) {
      LOG.info("schema registry answered after {} s; starting the streams", (System.nanoTime() - start) / 1_000_000_000L);
    }
    return true;
  }
}
