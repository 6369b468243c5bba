package io.alvlm.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaPortsTest {
  @Test
  void portsAreDistinctAndFreeOnceReturned() throws Exception {
    for (int round = 0; round < 50; round++) {
      int[] ports = EmbeddedKafka.freePorts(8);
      assertEquals(8, Arrays.stream(ports).distinct().count(), "distinct: " + Arrays.toString(ports));
      for (int p : ports) {
        assertTrue(p > 0);
        try (ServerSocket s = new ServerSocket(p, 0, InetAddress.getLoopbackAddress())) {
          assertEquals(p, s.getLocalPort(), "released for the broker to bind");
        }
      }
    }
  }

  @Test
  void brokerConfigReplicatesEverythingOnceOnLoopback() {
    var p = EmbeddedKafka.brokerConfig(java.nio.file.Path.of("/tmp/x"), 9092, 9093);
    assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    assertEquals(9092, EmbeddedKafka.port(p.getProperty("listeners"), "PLAINTEXT"));
    assertEquals(9093, EmbeddedKafka.port(p.getProperty("listeners"), "CONTROLLER"));
  }
}
