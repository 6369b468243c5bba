package io.alvlm.topics;

import java.util.Objects;
import java.util.Optional;

/**
 * What a topic must look like on the cluster.
 *
 * @param name the topic name
 * @param partitions partition count
 * @param compacted {@code cleanup.policy=compact} when true, {@code delete} otherwise
 * @param replicationFactor replicas per partition; empty for the broker's {@code default.replication.factor}
 */
public record TopicSpec(String name, int partitions, boolean compacted, Optional<Short> replicationFactor) {
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(replicationFactor, "replicationFactor");
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
    }
  }

  /** The {@code cleanup.policy} value this spec asks for. */
  public String cleanupPolicy() {
    return compacted ? "compact" : "delete";
  }
}
