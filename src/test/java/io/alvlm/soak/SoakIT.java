package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.cli.AlvlmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alvlm soak --minutes 3} as a user runs it, in a fresh JVM from the built jar: the broker, the
 * registry and five role JVMs, a SIGKILLed embedder and pool, a broker restart and a frozen embedder;
 * nothing lost or doubled, every fault recovered from, every process sampled into samples.csv.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("long") // three minutes of a clock: out of the default run (pom.xml, it.excluded.groups)
// the soak is three minutes of a clock, mostly waiting: it runs beside the other ITs (failsafe's parallel
// mode), but not beside those whose checks are timed
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class SoakIT {
  private static final Pattern LAST = Pattern.compile("soak: \\d+\\.\\d min (\\d+) images (\\d+) faults; lost 0 duplicated 0; "
      + "rss slope embedder (-?\\d+\\.\\d|NaN) pool (-?\\d+\\.\\d|NaN) trainer (-?\\d+\\.\\d|NaN) MiB/h; max lag \\d+; "
      + "recovered (\\d+)/(\\d+)");

  @TempDir Path dir;

  @Test
  void threeMinutesOfKillsABrokerRestartAndAFrozenEmbedderLoseAndDoubleNothing() throws Exception {
    Path work = dir.resolve("soak");
    AlvlmProcess.Run r = AlvlmProcess.jar(AlvlmProcess.ROOT, Map.of(), List.of("soak", "--minutes", "3", "--work", work.toString()));
    String report = r.out() + "\n" + r.err();
    List<String> lines = r.out().lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    Matcher m = LAST.matcher(last);
    assertTrue(m.matches(), "last line: " + last + "\n" + report);
    assertEquals(0, r.exit(), report);
    assertEquals("4", m.group(2), report);
    assertEquals(m.group(7), m.group(6), "recovered from every fault: " + last);
    assertTrue(Integer.parseInt(m.group(1)) > 300, "images fed at the default rate: " + last);
    for (String fault : List.of("SIGKILL embedder-1", "broker stopped and started again", "SIGKILL pool", "SIGSTOP embedder-2")) {
      assertTrue(lines.stream().anyMatch(l -> l.contains(fault) && l.contains("recovered in")), fault + "\n" + report);
    }
    assertTrue(report.contains("not judged"), "a 3-minute run says its slopes are not judged\n" + report);
    Matcher answered = Pattern.compile("(\\d+) answered over HTTP").matcher(report);
    assertTrue(answered.find() && Integer.parseInt(answered.group(1)) > 0, report);

    List<String> samples = Files.readAllLines(work.resolve("samples.csv"));
    assertEquals("time_s,role,pid,rss_mib,heap_after_gc_mib,fds,threads,lag", samples.get(0));
    Set<String> sampled = new TreeSet<>();
    for (String row : samples.subList(1, samples.size())) {
      String[] f = row.split(",", -1);
      assertEquals(8, f.length, row);
      sampled.add(f[1]);
      assertTrue(Double.parseDouble(f[3]) > 10 && Integer.parseInt(f[5]) > 0 && Integer.parseInt(f[6]) > 1, row);
    }
    assertEquals(Set.of("broker", "registry", "embedder-1", "embedder-2", "pool", "trainer", "workbench"), sampled);
    assertTrue(samples.stream().anyMatch(s -> s.contains(",pool,") && !s.split(",", -1)[4].isEmpty()
        && !s.split(",", -1)[7].isEmpty()), "the pool's heap and lag are sampled");
  }
}
