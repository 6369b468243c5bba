package io.alvlm.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Checks of command-line values, made before a command does any work: each failure is a
 * {@link UsageError} naming the option, its value and what is allowed.
 */
final class Check {
  private Check() {}

  static void atLeast(String option, long value, long lowest) {
    if (value < lowest) {
      throw UsageError.of(option, value, "want " + lowest + " or more");
    }
  }

  static void positive(String option, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw UsageError.of(option, value, "want a number above 0");
    }
  }

  static void within(String option, double value, double lowest, double highest) {
    if (!(value >= lowest && value <= highest)) {
      throw UsageError.of(option, value, "want a number from " + lowest + " to " + highest);
    }
  }

  /** The value parsed by {@code parser}, whose refusal message says what is allowed. */
  static <T> T parsed(String option, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw UsageError.of(option, value, e.getMessage());
    }
  }

  /** An existing regular file (a missing input is named before any work starts). */
  static void readableFile(Path file) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, Files.isDirectory(file) ? "a directory, want a file" : null);
    }
  }
}
