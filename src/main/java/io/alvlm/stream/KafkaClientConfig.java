package io.alvlm.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka client settings carried in alvlm's flat config under the {@code kafka.} prefix:
 * {@code kafka.bootstrap.servers=b:9092} becomes {@code bootstrap.servers=b:9092} for producers,
 * consumers, admin clients and Streams. alvlm's own keys (serde, topics, dlq) pass along too, so
 * Streams-configured classes such as {@link DeadLetterDeserializationHandler} can read them.
 */
public final class KafkaClientConfig {
  public static final String PREFIX = "kafka.";

  private KafkaClientConfig() {}

  /** The {@code kafka.*} entries with the prefix removed, plus every other entry unchanged. */
  public static Map<String, Object> from(Map<String, ?> config) {
    Objects.requireNonNull(config, "config");
    Map<String, Object> out = new HashMap<>();
    config.forEach((k, v) -> {
      if (!k.startsWith(PREFIX)) {
        out.put(k, v);
      }
    });
    // prefixed entries win over unprefixed ones of the same name
    config.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        out.put(k.substring(PREFIX.length()), v);
      }
    });
    return out;
  }
}
