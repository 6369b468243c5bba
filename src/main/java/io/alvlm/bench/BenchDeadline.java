package io.alvlm.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A bench's time limit, for waiting on conditions (never fixed sleeps), and the load average its reports print. */
final class BenchDeadline {
  /** A condition that may wait itself, e.g. on another process's answer. */
  interface Condition {
    boolean met() throws InterruptedException;
  }

  private final String bench;
  private final long minutes;
  private final long end;

  BenchDeadline(String bench, long minutes) {
    this.bench = bench;
    this.minutes = minutes;
    this.end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
  }

  /** Polls {@code done} every 20 ms; fails when the deadline passes first. */
  void await(String what, BooleanSupplier done) throws InterruptedException {
    await(what, Duration.ofMillis(20), done::getAsBoolean);
  }

  /** Polls {@code done} every {@code every}; fails when the deadline passes first. */
  void await(String what, Duration every, Condition done) throws InterruptedException {
    while (!done.met()) {
      check(what);
      Thread.sleep(every.toMillis());
    }
  }

  /** Fails when the deadline has passed: {@code what} did not happen in time. */
  void check(String what) {
    if (System.nanoTime() > end) {
      throw new IllegalStateException(bench + ": " + what + " did not happen within --timeout-minutes=" + minutes);
    }
  }

  /** The system's one-minute load average (the machine is shared: every figure is printed with it). */
  static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
