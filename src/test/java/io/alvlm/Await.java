package io.alvlm;

import java.time.Duration;
import java.util.Optional;

/**
 * Waits on a condition, never for a fixed time: checks it now and then every {@code 100 ms} until it
 * holds or the patience runs out, then fails naming what was awaited.
 */
public final class Await {
  private static final Duration EVERY = Duration.ofMillis(100);

  private Await() {}

  /** A condition that may throw while it is not met yet (a refused connection, say). */
  @FunctionalInterface
  public interface Check<T> {
    /** The awaited value, or empty while it is not there. */
    Optional<T> poll() throws Exception;
  }

  /** A yes/no condition. */
  @FunctionalInterface
  public interface Condition {
    boolean met() throws Exception;
  }

  /** Returns once {@code condition} holds; an {@link AssertionError} naming {@code what} after {@code patience}. */
  public static void until(String what, Duration patience, Condition condition) throws InterruptedException {
    value(what, patience, () -> condition.met() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  /** Whether {@code condition} held within {@code patience} (for tests that assert it did not). */
  public static boolean within(Duration patience, Condition condition) throws InterruptedException {
    try {
      until("condition", patience, condition);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /**
   * The first value {@code check} yields; an {@link AssertionError} naming {@code what} (and the last
   * exception the check threw, if any) after {@code patience}.
   */
  public static <T> T value(String what, Duration patience, Check<T> check) throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    Exception last = null;
    while (true) {
      try {
        Optional<T> v = check.poll();
        if (v.isPresent()) return v.get();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= end) {
        AssertionError e = new AssertionError(what + ": not within " + patience.toSeconds() + " s"
            + (last == null ? "" : " (last: " + last + ")"));
        if (last != null) e.initCause(last);
        throw e;
      }
      Thread.sleep(EVERY.toMillis());
    }
  }
}
