package io.alvlm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/alvlm demo --model DIR} with a copy of the tiny SigLIP, as a user runs it: its own
 * JVM through the launcher, an embedded broker, the service, the simulated annotator; the query
 * rounds advance and a retrained prompt model is published after each.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SiglipDemoIT {
  @TempDir Path dir;

  @Test
  void theWholeLoopRunsOnASiglipDirectory() throws Exception {
    Path model = Files.createDirectories(dir.resolve("my-siglip"));
    try (Stream<Path> files = Files.list(Fixtures.siglipTinyModel())) {
      for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
    }
    Path log = dir.resolve("demo.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of("bin/alvlm").toAbsolutePath().toString(), "demo", "--model",
        model.toString(), "--rounds", "2", "--budget", "10", "--images", "300", "--test-images", "100", "--epochs", "5",
        "--lr", "0.05", "--timeout", "240");
    pb.environment().put("ALVLM_JAVA_OPTS", "-Xmx2g");
    pb.environment().keySet().removeIf(k -> k.startsWith("ALVLM_") && !k.equals("ALVLM_JAVA_OPTS"));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(300, TimeUnit.SECONDS);
    if (!ended) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "demo still running after 300 s:\n" + out);
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(lines.contains("model: " + model), out);
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *[0-9.]+s\\] model v0 \\(zero-shot prompts\\): test accuracy .*")), out);
    for (int round = 1; round <= 2; round++) {
      String r = Integer.toString(round);
      assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *[0-9.]+s\\] round " + r + " \\(.*\\): 10 images requested .*")),
          "round " + r + " advanced:\n" + out);
      assertTrue(lines.stream().anyMatch(l -> l.matches("\\[ *[0-9.]+s\\] model v" + r + " after round [12]: .*")),
          "model v" + r + " published:\n" + out);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("demo finished in ")), out);
  }
}
