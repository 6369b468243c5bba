package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** Shared setup of the hostile-input tests. */
final class HostileInput {
  private HostileInput() {}

  /**
   * The service's Streams config at-least-once: under {@code exactly_once_v2}, TopologyTestDriver
   * (Kafka 4.4 test-utils) drops the records a deserialization handler returns, although a real broker
   * commits them with the transaction (ChaosIT sends undecodable records under exactly-once and counts
   * their dead letters, as does ServiceLoopIT).
   */
  static Properties driverConfig(ServiceConfig c) {
    Properties p = AlvlmService.streamsConfig(c);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    return p;
  }
}
