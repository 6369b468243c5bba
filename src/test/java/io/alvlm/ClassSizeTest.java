package io.alvlm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No class of src/main grows past what one head can hold: 350 lines, split by job beyond that. */
class ClassSizeTest {
  static final int MOST_LINES = 350;

  @Test
  void noMainClassIsOver350Lines() throws IOException {
    List<String> over;
    try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
      over = s.filter(p -> p.toString().endsWith(".java")).sorted().map(ClassSizeTest::sizeIfOver).filter(x -> !x.isEmpty())
          .toList();
    }
    assertEquals(List.of(), over, "classes over " + MOST_LINES + " lines: split them by job");
  }

  private static String sizeIfOver(Path p) {
    try {
      int n = Files.readAllLines(p).size();
      return n > MOST_LINES ? p + ": " + n : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
