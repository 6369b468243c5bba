package io.alvlm.pool;

import io.alvlm.stream.ServiceMetrics;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the pool's stream-thread steps (a record or a punctuation) for the {@code max-stall} metric,
 * and logs a step longer than a second with the parts of it that took long, so a stall names its cause.
 */
final class SlowSteps {
  private static final Logger LOG = LoggerFactory.getLogger(SlowSteps.class);
  /** A step of the stream thread longer than this is logged with what it did. */
  private static final long SLOW_STEP_NANOS = 1_000_000_000L;
  /** A part of a step longer than this is named in the slow-step log. */
  private static final long NOTED_PART_NANOS = 100_000_000L;

  /** Null when {@link #unmetered}: the GPU bundle has no Micrometer. */
  private final ServiceMetrics metrics;
  /** What the current step did besides its record or tick, for the slow-step log. */
  private final StringBuilder note = new StringBuilder();

  SlowSteps(ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics);
  }

  private SlowSteps() {
    this.metrics = null;
  }

  /** Steps for the slow-step log alone, with no metrics: the engine without the service ({@link PoolEngine}). */
  static SlowSteps unmetered() {
    return new SlowSteps();
  }

  /** Runs {@code step} ({@code what}: "a record", "a punctuation") as one timed stream-thread step. */
  void step(String what, Runnable step) {
    if (metrics != null) metrics.streamThreadStep();
    long t0 = System.nanoTime();
    try {
      step.run();
    } finally {
      long took = System.nanoTime() - t0;
      if (metrics != null) metrics.poolStep(took);
      if (took > SLOW_STEP_NANOS) {
        LOG.warn("slow pool step: {} took {} ms{}", what, took / 1_000_000, note);
      }
      note.setLength(0);
    }
  }

  /** Runs {@code part} of the current step; names it and its time in the step's note when it took long. */
  void timed(String what, Runnable part) {
    long t0 = System.nanoTime();
    part.run();
    long took = System.nanoTime() - t0;
    if (took > NOTED_PART_NANOS) note.append(String.format("; %s %d ms", what, took / 1_000_000));
  }

  /** Adds {@code text} to the current step's note. */
  void note(String text) {
    note.append("; ").append(text);
  }

  /** The current step's note so far (for tests). */
  String noted() {
    return note.toString();
  }
}
