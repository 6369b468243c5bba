package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The service's Kafka Streams configuration as {@link AlvlmService#streamsConfig} builds it. */
class StreamsConfigTest {
  @Test
  void kafkasPollIntervalAndTransactionTimeoutAreNotOverridden() {
    Properties p = AlvlmService.streamsConfig(ServiceConfig.of(Map.of()));
    for (String key : p.stringPropertyNames()) {
      assertFalse(key.endsWith(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), key + " is set to " + p.get(key));
      assertFalse(key.endsWith(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), key + " is set to " + p.get(key));
    }
    StreamsConfig effective = new StreamsConfig(p);
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, effective.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  @Test
  void storesAreTransactionalUnlessTheOperatorSaysOtherwise() {
    StreamsConfig effective = new StreamsConfig(AlvlmService.streamsConfig(ServiceConfig.of(Map.of())));
    assertEquals(true, effective.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
    StreamsConfig off = new StreamsConfig(AlvlmService.streamsConfig(ServiceConfig.of(
        Map.of("kafka." + StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false"))));
    assertEquals(false, off.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
  }
}
