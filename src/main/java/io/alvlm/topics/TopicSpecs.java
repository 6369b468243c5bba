package io.alvlm.topics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * alvlm's topics as the cluster must hold them. Only {@code alvlm.images} scales out (the embedder
 * runs one task per partition); the pool and trainer each run as one task, so the topics they read
 * and write have one partition; {@code alvlm.models} is compacted (latest model per name).
 *
 * <p>Config: {@code topics.images.partitions} (default 3), {@code topics.replication.factor}
 * (default: the broker's default).
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

  public static final String IMAGES_PARTITIONS = "topics.images.partitions";
  public static final String REPLICATION_FACTOR = "topics.replication.factor";

  private TopicSpecs() {}

  /** The specs for the given config (see the keys above). */
  public static List<TopicSpec> from(Map<String, ?> config) {
    Object p = config.get(IMAGES_PARTITIONS);
    int imagePartitions = p == null ? 3 : Integer.parseInt(p.toString().trim());
    Object rf = config.get(REPLICATION_FACTOR);
    Optional<Short> replication = rf == null || rf.toString().isBlank()
        ? Optional.empty() : Optional.of(Short.parseShort(rf.toString().trim()));
    return List.of(
        new TopicSpec(IMAGES, imagePartitions, false, replication),
        new TopicSpec(EMBEDDINGS, 1, false, replication),
        new TopicSpec(QUERIES, 1, false, replication),
        new TopicSpec(LABELS, 1, false, replication),
        new TopicSpec(MODELS, 1, true, replication),
        new TopicSpec(ROUNDS, 1, false, replication),
        new TopicSpec(DLQ, 1, false, replication),
        new TopicSpec(TRAINING, 1, false, replication));
  }
}
