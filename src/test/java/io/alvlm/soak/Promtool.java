package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Debian's {@code promtool}, the reference for what a Prometheus config may say. */
public final class Promtool {
  private Promtool() {}

  /** {@code promtool check config} exits 0 on {@code config}; the test is skipped where promtool is absent. */
  public static void assertAccepts(Path config) throws Exception {
    Path promtool = PrometheusProcess.executable("promtool").orElse(null);
    assumeTrue(promtool != null, "promtool not on PATH: apt-get install -y prometheus (.ci/run does)");
    Process p = new ProcessBuilder(promtool.toString(), "check", "config", config.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), config + ": " + out);
  }
}
