package io.alvlm.soak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Label records each process of a soak wrote and read, by schema version, from the
 * {@code alvlm_serde_records_total} series of its {@code /metrics}. A process's counters start at 0
 * with each start, so the latest value of every instance (pid) is kept and the instances summed: a
 * role's count is what all its instances reported, up to their last scrape.
 */
final class LabelVersionCounts {
  private static final Pattern SERIES = Pattern.compile("^alvlm_serde_records_total\\{([^}]*)\\}\\s+(\\S+)");
  private static final Pattern TAG = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** One instance's counts: "read 2" → records. */
  private final Map<String, Map<Long, Map<String, Long>>> byProcess = new ConcurrentHashMap<>();

  /** Takes the counts of process {@code name} (pid {@code pid}) from its {@code /metrics} text. */
  void scraped(String name, long pid, String metrics) {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (!m.find()) {
        continue;
      }
      Map<String, String> tags = new java.util.HashMap<>();
      Matcher t = TAG.matcher(m.group(1));
      while (t.find()) {
        tags.put(t.group(1), t.group(2));
      }
      if ("Label".equals(tags.get("record"))) {
        counts.merge(tags.get("direction") + " " + tags.get("schema_version"), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    byProcess.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(pid, counts);
  }

  /**
   * Label records of schema {@code version} that the processes whose name starts with {@code role}
   * read ({@code direction} "read") or wrote ("written"), over all their instances.
   */
  long count(String role, String direction, int version) {
    String key = direction + " " + version;
    return byProcess.entrySet().stream().filter(e -> e.getKey().startsWith(role))
        .flatMap(e -> e.getValue().values().stream()).mapToLong(c -> c.getOrDefault(key, 0L)).sum();
  }
}
