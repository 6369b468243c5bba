package io.alvlm.soak;

import io.alvlm.chaos.Invariants;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a soak found, and its last line:
 * {@code soak: 30.0 min 180000 images 12 faults; lost 0 duplicated 0; rss slope embedder 0.1 pool 0.3
 * trainer 0.0 MiB/h; max lag 4100; recovered 12/12}. It passes with nothing lost or doubled (the
 * chaos invariants), every fault recovered, the loop at rest at the end, no process ending by itself,
 * every dashboard panel with data, and, in a run of {@value #JUDGED_FROM_MINUTES} minutes or more, every slope under
 * {@value #MAX_SLOPE} MiB/h (a shorter run's slope is warm-up, so it is printed but not judged).
 *
 * @param embedderSlope the worse of the embedders' slopes, MiB/h (NaN: too few samples)
 * @param observed what the observation found wrong ({@link SoakObservation#problems()}: dashboard panels
 *     without data, plots not drawn, and with {@code --upgrade} what {@link RollingUpgrade.Outcome} found); each
 *     fails the run
 */
public record SoakVerdict(double minutes, int images, int faults, int recovered, Invariants invariants, double embedderSlope,
    double poolSlope, double trainerSlope, long maxLag, boolean settled, int unplannedExits, List<String> observed) {
  public SoakVerdict {
    observed = List.copyOf(observed);
  }

  /** A verdict with nothing observed wrong. */
  public SoakVerdict(double minutes, int images, int faults, int recovered, Invariants invariants, double embedderSlope,
      double poolSlope, double trainerSlope, long maxLag, boolean settled, int unplannedExits) {
    this(minutes, images, faults, recovered, invariants, embedderSlope, poolSlope, trainerSlope, maxLag, settled, unplannedExits,
        List.of());
  }

  public static final double MAX_SLOPE = 5.0;
  public static final double JUDGED_FROM_MINUTES = 20;

  public boolean slopesJudged() {
    return minutes >= JUDGED_FROM_MINUTES;
  }

  /** Everything that fails the run, one line each; empty when it passes. */
  public List<String> problems() {
    List<String> p = new ArrayList<>(invariants.problems());
    if (!invariants.ok() && invariants.problems().isEmpty()) {
      p.add(invariants.line());
    }
    if (recovered < faults) {
      p.add((faults - recovered) + " of " + faults + " faults not recovered from in time");
    }
    if (!settled) {
      p.add("the loop did not come to rest after the feed stopped");
    }
    if (unplannedExits > 0) {
      p.add("processes ended by themselves " + unplannedExits + " times (see the logs folder)");
    }
    p.addAll(observed);
    if (slopesJudged()) {
      slope("embedder", embedderSlope, p);
      slope("pool", poolSlope, p);
      slope("trainer", trainerSlope, p);
    }
    return p;
  }

  private static void slope(String role, double s, List<String> problems) {
    if (Double.isNaN(s) || s >= MAX_SLOPE) {
      problems.add(String.format(Locale.ROOT, "the %s's resident set grows %.1f MiB/h (want < %.0f)", role, s, MAX_SLOPE));
    }
  }

  public boolean ok() {
    return problems().isEmpty();
  }

  /** The last line. */
  public String line() {
    return String.format(Locale.ROOT, "soak: %.1f min %d images %d faults; lost %d duplicated %d; rss slope embedder %.1f "
        + "pool %.1f trainer %.1f MiB/h; max lag %d; recovered %d/%d", minutes, images, faults, invariants.lost(),
        invariants.duplicated() + invariants.duplicatedRequests(), embedderSlope, poolSlope, trainerSlope, maxLag, recovered, faults);
  }
}
