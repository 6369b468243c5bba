package io.alvlm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool JVM that dies fails {@code bench pool} at once with its exit code and the end of its log,
 * whether the JVM itself cannot start or {@link PoolBenchChild} fails before it is ready. Real child
 * JVMs, no broker: both die before they would reach one.
 */
class PoolServiceJvmTest {
  @TempDir Path dir;

  @Test
  void aJvmThatCannotStartFailsWithItsExitCodeAndLog() throws Exception {
    Path config = Files.writeString(dir.resolve("pool.properties"), "role=pool\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PoolServiceJvm.start("ingest", config,
        "not-a-size", dir.resolve("pool.log"), new BenchDeadline("bench pool", 2)));
    assertTrue(e.getMessage().contains("the pool's JVM of the ingest") && e.getMessage().contains("exited 1 while starting")
        && e.getMessage().contains(dir.resolve("pool.log").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid maximum heap size: -Xmxnot-a-size"), "the end of its log: " + e.getMessage());
  }

  @Test
  void aServiceThatFailsToStartFailsWithItsExitCodeAndLog() {
    Path missing = dir.resolve("absent.properties");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PoolServiceJvm.start("restart", missing,
        "256m", dir.resolve("pool.log"), new BenchDeadline("bench pool", 2)));
    assertTrue(e.getMessage().contains("the pool's JVM of the restart") && e.getMessage().contains("exited 1 while starting"),
        e.getMessage());
    assertTrue(e.getMessage().contains("cannot read config file " + missing), "the end of its log: " + e.getMessage());
  }

  @Test
  void theHeapAfterACollectionIsTheLargestAfterFigureOfTheGcLogsPauses() {
    // lines of a real -Xlog:gc log of the pool's JVM (G1, JDK 17)
    java.util.List<String> log = java.util.List.of(
        "[0.006s][info][gc] Using G1",
        "[0.511s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 19M->7M(382M) 16.984ms",
        "[1.203s][info][gc] GC(3) Pause Young (Concurrent Start) (Metadata GC Threshold) 28M->9M(382M) 8.600ms",
        "[1.218s][info][gc] GC(4) Pause Remark 11M->11M(54M) 1.691ms",
        "[1.229s][info][gc] GC(4) Concurrent Mark Cycle 25.414ms",
        "[90.1s][info][gc] GC(80) Pause Young (Normal) (G1 Evacuation Pause) 3G->2G(4G) 40.1ms",
        "[91.0s][info][gc] GC(81) Pause Young (Normal) (G1 Evacuation Pause) 2500M->2100M(4096M) 30.0ms");
    assertEquals(2100L << 20, PoolServiceJvm.heapAfterGc(log.stream()), "2100M after GC(81) beats 2G after GC(80)");
    assertEquals(11L << 20, PoolServiceJvm.heapAfterGc(log.subList(0, 5).stream()));
    assertEquals(0, PoolServiceJvm.heapAfterGc(java.util.stream.Stream.of("[0.006s][info][gc] Using G1")));
  }
}
