package io.alvlm.cli;

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
}
