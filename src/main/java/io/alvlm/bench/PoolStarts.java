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
  /** How long a standby JVM is given to hold a warm standby before it is started again. */
  private static final Duration WARM_WAIT = Duration.ofSeconds(90);
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
    try (PoolServiceJvm first = PoolServiceJvm.start("standby-active", configFile, heap, log("standby-active"), limit)) {
      limit.await("standby-active", POLL, () -> current(first));
      Warm warm = warmPair(first, standbyConfig, standbyState);
      try (PoolServiceJvm second = warm.second()) {
        PoolServiceJvm active = warm.activeIsFirst() ? first : second;
        PoolServiceJvm standby = warm.activeIsFirst() ? second : first;
        java.time.LocalTime killedAt = java.time.LocalTime.now();
        long k0 = System.nanoTime();
        active.kill();
        limit.await("standby takeover", POLL, () -> current(standby));
        double seconds = (System.nanoTime() - k0) / 1e9;
        standby.stop();
        String moved = restoreStart(standby, killedAt).map(t -> String.format(Locale.ROOT, "%.1f s", Math.floorMod(
            Duration.between(killedAt, t).toMillis(), 86_400_000L) / 1e3)).orElse("? s (not logged)");
        System.out.printf("takeover-standby (a warm standby on its own state directory, warm %.1f s after its start; the "
            + "active JVM SIGKILLed): the standby served the pool whole and current %.1f s after the SIGKILL; the task moved "
            + "to it (its restore began) after %s: the group noticing the active instance gone (session.timeout.ms)%n",
            warm.seconds(), seconds, moved);
        System.out.printf("takeover-standby: %s%n", whereTheTimeWent(standby, killedAt));
        return seconds;
      }
    }
  }

  /**
   * A second pool JVM beside {@code first}, waited on until one of the two holds the tasks active and
   * the other holds standbys within {@link #WARM_LAG} records of the changelogs' ends. The group may give
   * the newcomer the active tasks (both count as caught up when the changelogs are short); then the roles
   * are swapped. A newcomer that holds no warm standby within {@link #WARM_WAIT} is stopped and one more is
   * started on a wiped state directory; the failure names what both held.
   */
  private Warm warmPair(PoolServiceJvm first, Path standbyConfig, Path standbyState) throws Exception {
    String seen = "";
    for (int attempt = 1; attempt <= 2; attempt++) {
      PoolBench.delete(standbyState, false);
      String role = attempt == 1 ? "standby" : "standby-" + attempt;
      PoolServiceJvm second = PoolServiceJvm.start(role, standbyConfig, heap, log(role), limit);
      long w0 = System.nanoTime();
      try {
        while (System.nanoTime() - w0 < WARM_WAIT.toNanos()) {
          PoolBenchChild.Tasks a = first.tasks();
          PoolBenchChild.Tasks b = second.tasks();
          seen = "the first pool JVM held " + a.line() + ", the second " + b.line();
          if (warmStandby(a, b)) return new Warm(second, true, (System.nanoTime() - w0) / 1e9);
          if (warmStandby(b, a)) return new Warm(second, false, (System.nanoTime() - w0) / 1e9);
          limit.check("standby warm (" + seen + ")");
          Thread.sleep(POLL.toMillis());
        }
      } catch (Exception e) {
        second.close();
        throw e;
      }
      System.out.printf("takeover-standby: no warm standby within %d s (%s); starting the second JVM again%n",
          WARM_WAIT.toSeconds(), seen);
      second.stop();
    }
    throw new IllegalStateException("bench pool: standby warm did not happen in two tries of " + WARM_WAIT.toSeconds()
        + " s (" + seen + "; the pool-standby*.log files under " + work + " say how the group assigned the tasks)");
  }

  /** Whether {@code active} holds the tasks active and {@code standby} holds only standbys, caught up. */
  private static boolean warmStandby(PoolBenchChild.Tasks active, PoolBenchChild.Tasks standby) {
    return active.active() >= 1 && active.standby() == 0 && standby.active() == 0 && standby.standby() >= 1
        && standby.lag() <= WARM_LAG;
  }

  /** A second pool JVM, which of the two holds the tasks active, and how long the standby took to warm. */
  private record Warm(PoolServiceJvm second, boolean activeIsFirst, double seconds) {}

  /**
   * When the standby, made active, began restoring the pool store: the first such line of its log
   * (HH:mm:ss.SSS) after {@code since}.
   */
  private static java.util.Optional<java.time.LocalTime> restoreStart(PoolServiceJvm service, java.time.LocalTime since) {
    return service.logLines("restoring store pool from").stream().flatMap(l -> timeOf(l).stream())
        .filter(t -> after(t, since)).findFirst();
  }

  /** The time a log line starts with, when it starts with one (HH:mm:ss.SSS). */
  private static java.util.Optional<java.time.LocalTime> timeOf(String line) {
    return line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*") ? java.util.Optional.of(java.time.LocalTime.parse(line.substring(0, 12)))
        : java.util.Optional.empty();
  }

  /** Whether {@code t} is at or after {@code since}, on a clock that may have passed midnight in between. */
  private static boolean after(java.time.LocalTime t, java.time.LocalTime since) {
    return Math.floorMod(Duration.between(since, t).toMillis(), 86_400_000L) < 43_200_000L;
  }

  private Path log(String role) {
    return work.resolve("pool-" + role + ".log");
  }

  /** The changelog records its start restored, store by store, and the scan that rebuilt the pool, from its log. */
  private static String whereTheTimeWent(PoolServiceJvm service) {
    return whereTheTimeWent(service, null);
  }

  /** As {@link #whereTheTimeWent(PoolServiceJvm)}, from the lines logged at or after {@code since} (all when null). */
  private static String whereTheTimeWent(PoolServiceJvm service, java.time.LocalTime since) {
    java.util.function.Predicate<String> logged = l -> since == null || timeOf(l).filter(t -> after(t, since)).isPresent();
    long records = 0;
    List<String> stores = new ArrayList<>();
    for (String line : service.logLines("restored ").stream().filter(logged).toList()) {
      Matcher m = RESTORED.matcher(line);
      if (!m.find()) continue;
      records += Long.parseLong(m.group(1));
      stores.add(m.group(2) + " " + m.group(1) + " in " + m.group(3) + " s");
    }
    String scan = "no pool scan logged";
    for (String line : service.logLines("pool restored: ").stream().filter(logged).toList()) {
      Matcher m = SCANNED.matcher(line);
      if (m.find()) scan = String.format(Locale.ROOT, "pool read back from its stores: %s images in %.1f s", m.group(1),
          Long.parseLong(m.group(2)) / 1e3);
    }
    return String.format(Locale.ROOT, "restored %d changelog records%s; %s", records,
        stores.isEmpty() ? "" : " (" + String.join(", ", stores) + ")", scan);
  }
}
