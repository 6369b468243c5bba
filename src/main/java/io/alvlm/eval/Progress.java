package io.alvlm.eval;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Terminal progress of a replay: each finished round, how many remain and an ETA from the mean round time. */
final class Progress {
  private final PrintStream out;
  private final int total;
  private final long start = System.nanoTime();
  private int done;

  Progress(PrintStream out, int total) {
    this.out = out;
    this.total = total;
  }

  void round(RoundResult r, int rounds) {
    done++;
    double elapsed = (System.nanoTime() - start) / 1e9;
    long eta = Math.round(elapsed / done * (total - done));
    out.printf(Locale.ROOT, "evaluate: %-10s seed %d round %d/%d  labels %5d  top-1 %.4f  mean/class %.4f  "
            + "(select %.1f s, train %.1f s)  [%d/%d, ETA %s]%n", r.strategy(), r.seed(), r.round(), rounds, r.labels(),
        r.top1(), r.meanPerClass(), r.selectionSeconds(), r.trainingSeconds(), done, total, duration(eta));
  }

  static String duration(long seconds) {
    Duration d = Duration.ofSeconds(seconds);
    return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
        : d.toMinutes() > 0 ? String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart()) : seconds + "s";
  }
}
