package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.cli.AlvlmProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alvlm soak --minutes 3 --upgrade} as a user runs it: the roles start as the old build (pinned
 * to Label v2), are restarted one at a time on v3 halfway through while the faults and the feed go on,
 * and the annotator's notes reach the topic; nothing lost, doubled or dead-lettered, and the pool read
 * Label records of both versions.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("long") // three minutes of a clock plus five restarts: out of the default run (pom.xml)
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
@org.junit.jupiter.api.parallel.ResourceLock(io.alvlm.TimedIts.LOCK)
class SoakUpgradeIT {
  private static final Pattern UPGRADE = Pattern.compile("soak: upgrade: 5/5 roles restarted on Label v3; labels read v2 (\\d+) v3 "
      + "(\\d+) by the pool \\(the only role with a Label source; its old build v2 (\\d+) v3 0, its new one v2 \\d+ v3 (\\d+)\\); "
      + "written v2 (\\d+) v3 (\\d+) by the workbench, (\\d+) with a note; dead letters 0 beyond the corrupt inputs");

  @TempDir Path dir;

  @Test
  void threeMinutesWithARollingUpgradeOfLabelLoseNothingAndEveryVersionIsRead() throws Exception {
    Path work = dir.resolve("soak");
    AlvlmProcess.Run r = AlvlmProcess.jar(AlvlmProcess.ROOT, Map.of(),
        List.of("soak", "--minutes", "3", "--upgrade", "--work", work.toString()));
    String report = r.out() + "\n" + r.err();
    List<String> lines = r.out().lines().toList();
    assertEquals(0, r.exit(), report);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.matches("soak: \\d+\\.\\d min \\d+ images 4 faults; lost 0 duplicated 0; .*; recovered 4/4"), last);
    int at = lines.size() - 1;
    while (at > 0 && !lines.get(at).startsWith("soak: upgrade: 5/5")) {
      at--;
    }
    Matcher m = UPGRADE.matcher(lines.get(at));
    assertTrue(m.matches() && at > lines.size() - 4, "the upgrade's line, just before the last ones\n" + report);
    for (int g = 1; g <= 7; g++) {
      assertTrue(Long.parseLong(m.group(g)) > 0, "group " + g + ": " + m.group());
    }
    for (String role : RollingUpgrade.ORDER) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("soak: upgrade: " + role + " stopped and started on Label v3; healthy again")),
          role + "\n" + report);
      String config = Files.readString(work.resolve("config").resolve(role + ".properties"));
      assertTrue(!config.contains("serde.label.schema-version"), role + " ends unpinned");
    }
    String registry = Files.readString(work.resolve("registry-schemas.jsonl"));
    assertTrue(registry.contains("alvlm.labels-value") && registry.contains("note"), "Label v3 registered beside v2");
  }
}
