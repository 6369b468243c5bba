package io.alvlm.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Plays a {@link Fault} on a soak's {@link Cluster} and waits, bounded, until every process is
 * healthy again; says on one line what it did and how long the recovery took.
 */
final class FaultPlayer {
  /** Longest wait for recovery after a fault. */
  static final Duration RECOVERY = Duration.ofSeconds(180);
  /** A frozen process stays frozen this much past the consumer session timeout (6 s in the soak's settings). */
  static final Duration PAUSE = Duration.ofSeconds(6 + 3);
  /** The registry outage of a 30-minute run; shorter runs get it scaled down in proportion. */
  static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(90);
  static final double FULL_OUTAGE_MINUTES = 30;

  private final Cluster cluster;
  private final DiskFull disk;
  private final double minutes;
  private final PrintStream out;

  FaultPlayer(Cluster cluster, DiskFull disk, double minutes, PrintStream out) {
    this.cluster = cluster;
    this.disk = disk;
    this.minutes = minutes;
    this.out = out;
  }

  /** The registry's outage in a run of this length. */
  Duration registryOutage() {
    return minutes >= FULL_OUTAGE_MINUTES ? REGISTRY_OUTAGE
        : Duration.ofMillis(Math.max(5_000, (long) (REGISTRY_OUTAGE.toMillis() * minutes / FULL_OUTAGE_MINUTES)));
  }

  /** Plays fault {@code n} of {@code total}; true when everything was healthy again in time. */
  boolean play(Fault f, int n, int total, double atSeconds) throws IOException, InterruptedException {
    String what = act(f);
    long t0 = System.nanoTime();
    boolean ok = cluster.awaitHealthy(RECOVERY);
    double took = (System.nanoTime() - t0) / 1e9;
    out.printf(java.util.Locale.ROOT, "soak: %d/%d at %.0f s: %s; %s%n", n, total, atSeconds, what,
        ok ? String.format(java.util.Locale.ROOT, "recovered in %.1f s%s", took,
            cluster.waitedOn().isEmpty() ? "" : " (waited on " + String.join(", ", cluster.waitedOn()) + ")")
            : "NOT recovered within " + RECOVERY.toSeconds() + " s: " + cluster.unhealthy());
    return ok;
  }

  private String act(Fault f) throws IOException, InterruptedException {
    switch (f.kind()) {
      case KILL -> {
        SoakProcess p = cluster.get(f.target());
        long pid = p.kill();
        p.start();
        return "SIGKILL " + p.name + " (pid " + pid + "), started again";
      }
      case BROKER_RESTART -> {
        SoakProcess b = cluster.get("broker");
        cluster.hold(b.name, true);
        b.stop();
        b.start();
        cluster.hold(b.name, false);
        return "broker stopped and started again on its data and port";
      }
      case REGISTRY_OUTAGE -> {
        SoakProcess r = cluster.get("registry");
        Duration outage = registryOutage();
        cluster.hold(r.name, true);
        long pid = r.kill();
        cluster.watch(outage);
        r.start();
        cluster.hold(r.name, false);
        return String.format(java.util.Locale.ROOT, "registry SIGKILLed (pid %d), away %d s%s, started again", pid,
            outage.toSeconds(), outage.equals(REGISTRY_OUTAGE) ? "" : String.format(java.util.Locale.ROOT,
                " (the 90 s outage scaled to a %.1f-minute run)", minutes));
      }
      case PAUSE -> {
        SoakProcess p = cluster.get(f.target());
        cluster.hold(p.name, true);
        p.pause();
        cluster.watch(PAUSE);
        p.resume();
        cluster.hold(p.name, false);
        return "SIGSTOP " + p.name + " for " + PAUSE.toSeconds() + " s (past its 6 s session timeout), SIGCONT";
      }
      case DISK_FULL -> {
        return disk.fill(cluster, cluster.get(f.target()));
      }
      default -> throw new IllegalStateException(f.kind().toString());
    }
  }
}
