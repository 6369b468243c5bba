package io.alvlm.stream;

import io.alvlm.config.ServiceConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The transaction timeout the service's producers run with: {@code kafka.producer.transaction.timeout.ms},
 * else {@code kafka.transaction.timeout.ms}, else Kafka Streams' default under exactly-once (10 s). A
 * transaction open longer is aborted by the broker and its producer fenced, so every wait on a stream
 * thread (a tower batch, a registry call) must stay well under it.
 */
public final class TransactionTimeout {
  /** Kafka Streams' {@code transaction.timeout.ms} under exactly-once. */
  public static final Duration STREAMS_DEFAULT = Duration.ofSeconds(10);

  private TransactionTimeout() {}

  public static Duration of(ServiceConfig c) {
    Map<String, String> kafka = c.withPrefix("kafka.");
    String v = kafka.getOrDefault("producer.transaction.timeout.ms", kafka.get("transaction.timeout.ms"));
    if (v == null || v.isBlank()) {
      return STREAMS_DEFAULT;
    }
    try {
      return Duration.ofMillis(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("kafka.producer.transaction.timeout.ms=" + v + ": want milliseconds, e.g. 10000");
    }
  }
}
