package io.alvlm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The later starts of {@code bench pool}'s pool JVM, each timed until its pool is whole, current and
 * ready: after a clean stop, after a SIGKILL, on a wiped state directory, and the takeover by a warm
 * standby (a second instance on its own state directory, {@code num.standby.replicas=1}) when the
 * active one is SIGKILLed. Each says where its time went, read from its JVM's log: the service's start,
 * the changelog records restored ({@code RestoreLog}) and the scan that read the pool back from its
 * stores ({@code PoolRestore}).
 */
record PoolStarts(Path work, Path state, Path configFile, String heap, long images, BenchDeadline limit) {
  /** How often a pool JVM's status is read while waiting on it. */
  static final Duration POLL = Duration.ofMillis(200);
  /**
   * Changelog records a standby may still be behind and count as warm: under exactly-once each commit
   * leaves a transaction marker past the last record, which a standby's lag may count.
   */
  private static final long WARM_LAG = 100;
  private static final Pattern RESTORED = Pattern.compile("restored (\\d+) records of store (\\S+) \\(changelog partition \\S+\\) in ([0-9.]+) s");
  private static final Pattern SCANNED = Pattern.compile("pool restored: (\\d+) images .* in (\\d+) ms");

  /**
   * The starts, in the order they run: after the SIGKILL that ends ingest and the round (a pool that has
   * been writing, whose stores reached the disk since they opened; then stopped cleanly), after that
   * clean stop, and on a wiped state directory.
   */
  enum Start {
    RESTART_CRASH("restart-crash", "restart-crash (state directory kept, after a SIGKILL)", false),
    RESTART("restart", "restart (state directory kept)", false),
    TAKEOVER("takeover", "takeover (state directory wiped, restored from the changelogs)", true);

    final String role;
    final String what;
    final boolean wipe;

    Start(String role, String what, boolean wipe) {
      this.role = role;
      this.what = what;
      this.wipe = wipe;
    }
  }

  /** Whether the pool JVM holds every image, every list folded in, and is ready. */
  private boolean current(PoolServiceJvm service) throws InterruptedException {
    PoolBenchChild.Status s = service.status();
    return s.pooled() + s.pending() == images && s.unfolded() == 0 && s.ready();
  }

  /**
   * Starts a pool JVM on the state directory (wiped first for a takeover), times it from its start until
   * its pool is current, prints that, where the time went and its memory, and stops it cleanly.
   */
  double ready(Start start) throws Exception {
    String role = start.role;
    if (start.wipe) PoolBench.delete(state, false);
    try (PoolServiceJvm service = PoolServiceJvm.start(role, configFile, heap, log(role), limit)) {
      limit.await(role, POLL, () -> current(service));
      double seconds = service.seconds();
      PoolBenchChild.Memory m = service.memory();
      long afterGc = service.heapAfterGcBytes();
      service.stop();
      System.out.printf("%s: ready in %.1f s from the pool's JVM start (its service up after %.1f s)%n", start.what, seconds,
          service.upAfter());
      System.out.printf("%s: %s%n", role, whereTheTimeWent(service));
      System.out.printf("%s JVM memory: peak resident %.2f GiB, peak heap %.2f GiB, most heap in use after a collection "
          + "%.2f GiB%n", role, Math.max(0, m.residentBytes()) / (double) (1L << 30), m.heapBytes() / (double) (1L << 30),
          afterGc / (double) (1L << 30));
      return seconds;
    }
  }

  /**
   * The takeover by a warm standby: an active pool JVM on the state directory and a second one, the
   * standby, on a state directory of its own; once the active one is current and the standby within
   * {@link #WARM_LAG} records of the changelogs' ends, the active one is SIGKILLed. Returns the seconds
   * from that SIGKILL until the standby serves the pool whole and current; the part of them before the
   * task moved (read from the standby's log) is the group noticing the active instance gone
   * ({@code session.timeout.ms}).
   */
  double standbyTakeover(Path standbyState) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(configFile)) {
      p.load(r);
    }
    p.setProperty("state.dir", standbyState.toString());
    p.setProperty("kafka.group.instance.id", p.getProperty("kafka.group.instance.id", "alvlm-bench-pool") + "-standby");
    Path standbyConfig = work.resolve("pool-standby.properties");
    try (var w = Files.newBufferedWriter(standbyConfig)) {
      p.store(w, "bench pool: the standby's settings");
    }
    try (PoolServiceJvm active = PoolServiceJvm.start("standby-active", configFile, heap, log("standby-active"), limit)) {
      limit.await("standby-active", POLL, () -> current(active));
      try (PoolServiceJvm standby = PoolServiceJvm.start("standby", standbyConfig, heap, log("standby"), limit)) {
        long w0 = System.nanoTime();
        limit.await("standby warm", POLL, () -> {
          PoolBenchChild.Tasks t = standby.tasks();
          return t.standby() >= 1 && t.lag() <= WARM_LAG;
        });
        double warm = (System.nanoTime() - w0) / 1e9;
        java.time.LocalTime killedAt = java.time.LocalTime.now();
        long k0 = System.nanoTime();
        active.kill();
        limit.await("standby takeover", POLL, () -> current(standby));
        double seconds = (System.nanoTime() - k0) / 1e9;
        standby.stop();
        String moved = restoreStart(standby).map(t -> String.format(Locale.ROOT, "%.1f s", Math.floorMod(
            Duration.between(killedAt, t).toMillis(), 86_400_000L) / 1e3)).orElse("? s (not logged)");
        System.out.printf("takeover-standby (a warm standby on its own state directory, warm %.1f s after its start; the "
            + "active JVM SIGKILLed): the standby served the pool whole and current %.1f s after the SIGKILL; the task moved "
            + "to it (its restore began) after %s: the group noticing the active instance gone (session.timeout.ms)%n", warm,
            seconds, moved);
        System.out.printf("takeover-standby: %s%n", whereTheTimeWent(standby));
        return seconds;
      }
    }
  }

  /** When the standby, made active, began restoring the pool store: the first such line of its log (HH:mm:ss.SSS). */
  private static java.util.Optional<java.time.LocalTime> restoreStart(PoolServiceJvm service) {
    return service.logLines("restoring store pool from").stream().findFirst().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
        .map(l -> java.time.LocalTime.parse(l.substring(0, 12)));
  }

  private Path log(String role) {
    return work.resolve("pool-" + role + ".log");
  }

  /** The changelog records its start restored, store by store, and the scan that rebuilt the pool, from its log. */
  private static String whereTheTimeWent(PoolServiceJvm service) {
    long records = 0;
    List<String> stores = new ArrayList<>();
    for (String line : service.logLines("restored ")) {
      Matcher m = RESTORED.matcher(line);
      if (!m.find()) continue;
      records += Long.parseLong(m.group(1));
      stores.add(m.group(2) + " " + m.group(1) + " in " + m.group(3) + " s");
    }
    String scan = "no pool scan logged";
    for (String line : service.logLines("pool restored: ")) {
      Matcher m = SCANNED.matcher(line);
      if (m.find()) scan = String.format(Locale.ROOT, "pool read back from its stores: %s images in %.1f s", m.group(1),
          Long.parseLong(m.group(2)) / 1e3);
    }
    return String.format(Locale.ROOT, "restored %d changelog records%s; %s", records,
        stores.isEmpty() ? "" : " (" + String.join(", ", stores) + ")", scan);
  }
}
