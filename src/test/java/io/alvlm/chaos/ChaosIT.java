package io.alvlm.chaos;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small chaos run on a real broker: 300 records (10 corrupt), two SIGKILLs of the service JVM
 * (mid-batch, mid-round), its state directory wiped before one restart, and one broker restart;
 * every good image embedded exactly once, every request answered and applied once, one dead letter
 * per corrupt record.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class ChaosIT {
  @TempDir Path dir;

  @Test
  void survivesKillsAStateWipeAndABrokerRestartWithoutLossOrDuplicate() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ChaosRun.Options o = new ChaosRun.Options(300, 2, 7, 1, true, Duration.ofSeconds(240), Path.of("").toAbsolutePath(),
        Path.of("target/alvlm.jar").toAbsolutePath(), dir.resolve("chaos"));
    ChaosRun.Result r = ChaosRun.run(o, out);
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(r.ok(), report + "\nservice log tail:\n" + tail(dir.resolve("chaos/service.log")));
    Invariants inv = r.invariants();
    assertEquals(300, inv.sent());
    assertEquals(290, inv.embeddedOnce());
    assertEquals(10, inv.expectedDeadLetters());
    assertEquals(10, inv.deadLetters());
    assertTrue(inv.requests() > 0 && inv.applied() == inv.requests(), report);
    assertTrue(report.contains("SIGKILL mid-batch") && report.contains("SIGKILL mid-round") && report.contains("state dir wiped")
        && report.contains("broker restart"), report);
    String last = report.lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.matches("images: 300 sent, 290 embedded once, 0 lost, 0 duplicated; requests: \\d+, 0 duplicated; "
        + "labels: \\d+ applied, 0 lost; dlq: 10 \\(expected 10\\)"), last);
  }

  private static String tail(Path log) throws java.io.IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
