package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientConfigTest {
  @Test
  void stripsTheKafkaPrefixAndKeepsAlvlmKeys() {
    Map<String, Object> out = KafkaClientConfig.from(Map.of("kafka.bootstrap.servers", "b:9092",
        "kafka.security.protocol", "SSL", "serde.format", "confluent", "dlq.topic", "ops.dlq"));
    assertEquals(Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL", "serde.format", "confluent",
        "dlq.topic", "ops.dlq"), out);
  }

  @Test
  void prefixedKeysWin() {
    assertEquals("b:1", KafkaClientConfig.from(Map.of("bootstrap.servers", "a:1", "kafka.bootstrap.servers", "b:1"))
        .get("bootstrap.servers"));
  }
}
