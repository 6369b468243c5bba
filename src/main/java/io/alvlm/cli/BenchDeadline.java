package io.alvlm.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A bench's time limit, for waiting on conditions (never fixed sleeps), and the load average its reports print. */
final class BenchDeadline {
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
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(bench + ": " + what + " did not happen within --timeout-minutes=" + minutes);
      }
      Thread.sleep(20);
    }
  }

  /** The system's one-minute load average (the machine is shared: every figure is printed with it). */
  static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
