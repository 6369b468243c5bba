package io.alvlm.bench;

import io.alvlm.cli.Alvlm;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench pool} end to end at a tiny size: the pool service runs in its own JVM, driven over the
 * child protocol through ingest, round, restart, restart after SIGKILL, takeover and a warm standby's takeover, and the
 * memory figures are that JVM's.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PoolBenchIT {
  private static final Pattern LAST = Pattern.compile("pool: images 2000 dim 64 neighbors exact ingest (\\d+)/s recall@5 "
      + "([0-9.]+) round ([0-9.]+)s max-stall ([0-9.]+)s restart ([0-9.]+)s restart-crash ([0-9.]+)s takeover ([0-9.]+)s memory ([0-9.]+)GiB");
  private static final Pattern STARTS = Pattern.compile("pool starts: restart ([0-9.]+)s restart-crash ([0-9.]+)s takeover \\(cold, "
      + "wiped\\) ([0-9.]+)s takeover-standby \\(warm, from the active's SIGKILL\\) ([0-9.]+)s");
  private static final Pattern RESTORED = Pattern.compile("(restart-crash|takeover|takeover-standby): restored (\\d+) changelog records.*");
  private static final Pattern CHILD_MEMORY = Pattern.compile("(restart|restart-crash|takeover) JVM memory: peak resident ([0-9.]+) GiB, "
      + "peak heap ([0-9.]+) GiB, most heap in use after a collection ([0-9.]+) GiB");

  /** What a run printed on stdout and on the command's error stream, and its exit code. */
  private record Run(int exit, String out, String err) {}

  private static Run bench(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      var cl = Alvlm.commandLine();
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void measuresThePoolInItsOwnJvmThroughIngestRoundRestartAndTakeover() {
    Run run = bench("bench", "pool", "--images", "2000", "--dim", "64", "--classes", "10", "--budget", "20", "--k", "5",
        "--sample", "200", "--kmeans-inits", "1", "--pool-heap", "512m", "--timeout-minutes", "6");
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> lines = run.out().strip().lines().toList();
    Matcher last = LAST.matcher(lines.get(lines.size() - 1));
    assertTrue(last.matches(), "last line: " + lines.get(lines.size() - 1));
    assertTrue(Double.parseDouble(last.group(1)) > 0, "ingest rate");
    assertEquals(1.0, Double.parseDouble(last.group(2)), 1e-9, "exact lists: recall 1");
    assertTrue(Double.parseDouble(last.group(5)) > 0 && Double.parseDouble(last.group(6)) > 0
        && Double.parseDouble(last.group(7)) > 0, "restart, restart after SIGKILL and takeover timed");
    double memory = Double.parseDouble(last.group(8));
    assertTrue(memory > 0, "the pool JVM's peak resident set");
    assertTrue(run.out().contains(String.format("peak resident %.2f GiB", memory)), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("memory of the pool's JVM")
        && l.matches(".*most heap in use after a collection [0-9.]+ GiB.*")), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("round 1 \\([0-9]+ picks\\): .*select [0-9]+ ms.*")),
        "the round's recorded timings: " + run.out());
    List<String> children = lines.stream().map(CHILD_MEMORY::matcher).filter(Matcher::matches)
        .filter(m -> Double.parseDouble(m.group(2)) > 0 && Double.parseDouble(m.group(3)) > 0).map(m -> m.group(1)).toList();
    assertEquals(List.of("restart-crash", "restart", "takeover"), children, "the later pool JVMs came up and answered 'memory'");
    assertTrue(run.out().contains("restart-crash (state directory kept, after a SIGKILL): ready in "), run.out());
    assertTrue(lines.get(lines.size() - 2).matches(STARTS.pattern()), "the line before the last: " + lines.get(lines.size() - 2));
    java.util.Map<String, Long> restored = new java.util.HashMap<>();
    lines.stream().map(RESTORED::matcher).filter(Matcher::matches).forEach(m -> restored.put(m.group(1), Long.parseLong(m.group(2))));
    assertEquals(java.util.Set.of("restart-crash", "takeover", "takeover-standby"), restored.keySet(), run.out());
    // the wiped directory reads every changelog whole; the warm standby only a tail, and so does the pool SIGKILLed
    // after ingest and the round: its stores kept what they committed (DurableStore), nothing was wiped
    assertTrue(restored.get("takeover") >= 2000, run.out());
    assertTrue(restored.get("takeover-standby") * 10 < restored.get("takeover"), "the standby was warm: " + restored);
    assertTrue(restored.get("restart-crash") * 10 < restored.get("takeover"),
        "the SIGKILLed pool's stores kept their commits: " + restored);
  }
  /**
   * A preloaded pool: 1,500 rows folded by the engine and written to the changelogs, restored by the pool
   * JVM, then 500 more arrive; the lists of all 2,000 are exact (recall 1) and every later start sees 2,000.
   */
  @Test
  @org.junit.jupiter.api.Tag("long") // about 85 s: out of the default run (pom.xml, it.excluded.groups); PoolPreloadTest covers preload = ingest
  void preloadsTheChangelogsThenIngestsTheRest() {
    Run run = bench("bench", "pool", "--preload", "1500", "--images", "500", "--dim", "64", "--classes", "10", "--budget", "20",
        "--k", "5", "--sample", "200", "--kmeans-inits", "1", "--pool-heap", "512m", "--timeout-minutes", "3");
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> lines = run.out().strip().lines().toList();
    String lastLine = lines.get(lines.size() - 1);
    assertTrue(lastLine.matches("pool: images 500 preload 1500 dim 64 neighbors exact ingest [0-9]+/s recall@5 1[.]00 round .*"),
        "last line: " + lastLine);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("preload: 1500 rows folded by the engine in ")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("preload restored after ")), run.out());
    assertTrue(run.out().contains("takeover (state directory wiped, restored from the changelogs): ready in "), run.out());
  }
}
