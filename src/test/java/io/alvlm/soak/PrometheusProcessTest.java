package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusProcessTest {
  @Test
  void generatedConfigScrapesEveryRoleWithItsLabelAndPassesPromtool(@TempDir Path dir) throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("embedder-1", "127.0.0.1:9101");
    targets.put("pool", "localhost:9103");
    String yml = PrometheusProcess.config(targets, Duration.ofSeconds(5));
    assertTrue(yml.contains("scrape_interval: 5s"), yml);
    assertTrue(yml.contains("job_name: " + PrometheusProcess.JOB), yml);
    assertTrue(yml.contains("targets: [\"127.0.0.1:9101\"]\n        labels: {role: embedder-1}"), yml);
    assertTrue(yml.contains("targets: [\"localhost:9103\"]\n        labels: {role: pool}"), yml);
    Path file = Files.writeString(dir.resolve("prometheus.yml"), yml);
    Promtool.assertAccepts(file);
  }

  @Test
  void refusesTargetsThatWouldBreakTheConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrometheusProcess.config(Map.of("pool", "127.0.0.1:9103\"]"), Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("pool -> 127.0.0.1:9103\"]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PrometheusProcess.config(Map.of("a b", "h:1"), Duration.ofSeconds(5)));
    assertThrows(IllegalArgumentException.class, () -> PrometheusProcess.config(Map.of(), Duration.ofSeconds(5)));
    assertThrows(IllegalArgumentException.class, () -> PrometheusProcess.config(Map.of("pool", "h:1"), Duration.ofMillis(500)));
  }
}
