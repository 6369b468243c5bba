package io.alvlm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.alvlm.cli.AlvlmProcess;
import io.alvlm.cli.AlvlmProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/alvlm demo} as the README's first command, with its output captured (not a terminal):
 * standard output has the README sample's lines, shape for shape (numbers aside), standard error
 * holds nothing but the launcher's own lines, no colour codes anywhere, and no demo state is left.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DemoOutputIT {
  private static final Path ROOT = AlvlmProcess.ROOT;

  @Test
  void printsTheReadmesSampleLineForLine() throws Exception {
    List<Path> stateBefore = demoStates();
    Run r = AlvlmProcess.launcher(ROOT, Map.of(), List.of("demo"));
    String both = r.out() + r.err();
    assertEquals(0, r.exit(), both);
    assertEquals(shapes(readmeSample()), shapes(r.out().lines().toList()), "stdout against the README's sample:\n" + r.out());
    List<String> notLauncher = r.errLines().stream().filter(l -> !l.startsWith("alvlm: ")).toList();
    assertEquals(List.of(), notLauncher, "stderr holds the launcher's lines only:\n" + r.err());
    assertFalse(both.contains("\u001b"), "no terminal escape codes in captured output");
    assertEquals(stateBefore, demoStates(), "the demo removes its state");
  }

  /** The lines of the README's sample run, the fenced block that starts with the demo's first line. */
  static List<String> readmeSample() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).startsWith("alvlm demo: Fashion-MNIST") && lines.get(i - 1).equals("```")) {
        List<String> block = new ArrayList<>();
        for (int j = i; !lines.get(j).equals("```"); j++) {
          block.add(lines.get(j));
        }
        return block;
      }
    }
    throw new AssertionError("README.md has no sample run of bin/alvlm demo");
  }

  /** Each line with its numbers as {@code #} and its blanks folded, so that two runs compare. */
  static List<String> shapes(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll("\\d+(\\.\\d+)?", "#").replaceAll("\\[\\s+", "[")
        .replaceAll("\\s+", " ").strip()).toList();
  }

  private static List<Path> demoStates() throws IOException {
    Path target = ROOT.resolve("target");
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().startsWith("demo-state-")).sorted().toList();
    }
  }
}
