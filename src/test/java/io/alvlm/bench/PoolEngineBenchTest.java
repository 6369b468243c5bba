package io.alvlm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.cli.Alvlm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench pool-engine} as a user runs it, on a small pool: its baseline, its round's parts and its last line. */
class PoolEngineBenchTest {
  private static final Pattern LAST = Pattern.compile(
      "pool-engine: images 3000 dim 64 device cpu threads 2 fold ([0-9]+)/s recall@5 ([0-9.]+) round ([0-9.]+)s");

  @Test
  void foldsTheSyntheticPoolAndRunsARoundOnTheEngineAlone() {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      rc = Alvlm.commandLine().execute("bench", "pool-engine", "--images", "3000", "--dim", "64", "--classes", "10",
          "--budget", "20", "--k", "5", "--sample", "200", "--kmeans-inits", "1", "--threads", "2", "--device", "cpu");
    } finally {
      System.setOut(saved);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, text);
    List<String> lines = text.strip().lines().toList();
    Matcher last = LAST.matcher(lines.get(lines.size() - 1));
    assertTrue(last.matches(), "last line: " + lines.get(lines.size() - 1));
    assertTrue(Double.parseDouble(last.group(1)) > 0, "fold rate");
    assertEquals(1.0, Double.parseDouble(last.group(2)), 1e-9, "exact lists at 3,000 rows: recall 1");
    assertTrue(lines.get(lines.size() - 3).startsWith("baseline: exact search of 200 sampled rows against all 3000 in "), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("round: 20 picks in [0-9.]+ s: .*scores [0-9]+ ms.*")), text);
  }
}
