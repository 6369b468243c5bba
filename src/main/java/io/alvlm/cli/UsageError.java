package io.alvlm.cli;

/**
 * A command-line value that is out of range or malformed, found by a command after picocli parsed
 * it (a budget of 0, an unknown strategy): reported like picocli's own usage errors, exit status 2.
 * The message names the option and its value and says what is allowed.
 */
final class UsageError extends IllegalArgumentException {
  UsageError(String message) {
    super(message);
  }

  /** {@code --option value: what is wrong}, from a parser's message about the value. */
  static UsageError of(String option, Object value, String problem) {
    return new UsageError(option + " " + value + ": " + problem);
  }
}
