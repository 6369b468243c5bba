package io.alvlm.topics;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import java.util.List;
import java.util.Optional;

/**
 * alvlm's topics as the cluster must hold them. Only {@code alvlm.images} scales out (the embedder
 * runs one task per partition); the pool and trainer each run as one task, so the topics they read
 * and write have one partition; {@code alvlm.models} (latest model per name) and {@code alvlm.notices} are compacted.
 *
 * <p>Config: {@code topics.images.partitions} and {@code topics.replication.factor}, parsed once as
 * typed settings.
 */
public final class TopicSpecs {
  public static final String IMAGES = "alvlm.images";
  public static final String EMBEDDINGS = "alvlm.embeddings";
  public static final String QUERIES = "alvlm.queries";
  public static final String LABELS = "alvlm.labels";
  public static final String MODELS = "alvlm.models";
  public static final String ROUNDS = "alvlm.rounds";
  public static final String DLQ = "alvlm.dlq";
  /** Internal: labelled examples and round completions from the pool to the trainer. */
  public static final String TRAINING = "alvlm.training";
  /** Operators' commands to the pool's rounds ({@code alvlm rounds resume}), read by the pool task. */
  public static final String CONTROL = "alvlm.control";
  /** The pool's notices to the workbench (paused rounds, annotator agreement): compacted, the latest counts. */
  public static final String NOTICES = "alvlm.notices";

  private TopicSpecs() {}

  /** The specs for a service config: {@code topics.images.partitions} and {@code topics.replication.factor}. */
  public static List<TopicSpec> from(ServiceConfig c) {
    return of(c.get(Settings.IMAGES_PARTITIONS), c.get(Settings.REPLICATION_FACTOR));
  }

  /** The specs with {@code imagePartitions} partitions of {@code alvlm.images}; empty replication: the broker's default. */
  public static List<TopicSpec> of(int imagePartitions, Optional<Short> replication) {
    return List.of(
        new TopicSpec(IMAGES, imagePartitions, false, replication),
        new TopicSpec(EMBEDDINGS, 1, false, replication),
        new TopicSpec(QUERIES, 1, false, replication),
        new TopicSpec(LABELS, 1, false, replication),
        new TopicSpec(MODELS, 1, true, replication),
        new TopicSpec(ROUNDS, 1, false, replication),
        new TopicSpec(DLQ, 1, false, replication),
        new TopicSpec(TRAINING, 1, false, replication),
        new TopicSpec(CONTROL, 1, false, replication),
        new TopicSpec(NOTICES, 1, true, replication));
  }
}
