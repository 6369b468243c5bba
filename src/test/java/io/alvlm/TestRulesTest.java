package io.alvlm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The project's rules for its own tests: integration tests time out, and tests wait on conditions through {@link Await}. */
class TestRulesTest {
  private static List<Path> tests() throws IOException {
    try (Stream<Path> s = Files.walk(Path.of("src/test/java"))) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void everyIntegrationTestHasATimeout() throws IOException {
    List<String> without = new ArrayList<>();
    for (Path p : tests()) {
      if (p.getFileName().toString().endsWith("IT.java") && !Files.readString(p).contains("@Timeout(")) {
        without.add(p.getFileName().toString());
      }
    }
    assertEquals(List.of(), without, "ITs without @Timeout: a hung broker or child JVM would hold the build");
  }

  @Test
  void onlyAwaitSleeps() throws IOException {
    List<String> sleeping = new ArrayList<>();
    for (Path p : tests()) {
      String name = p.getFileName().toString();
      if (!name.equals("Await.java") && !name.equals("TestRulesTest.java") && Files.readString(p).contains("Thread.sleep(")) {
        sleeping.add(name);
      }
    }
    assertEquals(List.of(), sleeping, "tests that sleep instead of waiting on a condition (use Await)");
  }
}
