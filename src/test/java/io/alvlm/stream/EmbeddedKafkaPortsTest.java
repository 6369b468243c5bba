package io.alvlm.stream;

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
}
