package io.alvlm.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The processes of a soak: the broker and the registry, then the roles. Healthy means every process
 * answers its probe and every role's consumer group is stable with all its members. While waiting,
 * a role that ended by itself (not by a fault) is started again and counted.
 */
final class Cluster {
  private static final Duration POLL = Duration.ofMillis(500);
  private final Map<String, SoakProcess> byName = new LinkedHashMap<>();
  private final PrintStream out;
  private Groups groups;
  private int unplannedExits;
  private final Set<String> waitedOn = new java.util.LinkedHashSet<>();
  /** Processes a fault stopped on purpose: not restarted by the watchdog. */
  private final Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Cluster(List<SoakProcess> processes, PrintStream out) {
    processes.forEach(p -> byName.put(p.name, p));
    this.out = out;
  }

  void useGroups(Groups g) {
    this.groups = g;
  }

  SoakProcess get(String name) {
    SoakProcess p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no process " + name);
    }
    return p;
  }

  List<SoakProcess> all() {
    return new ArrayList<>(byName.values());
  }

  /** Keeps the watchdog off {@code name} while a fault has it down. */
  void hold(String name, boolean on) {
    if (on) {
      held.add(name);
    } else {
      held.remove(name);
    }
  }

  /** The processes that are unhealthy now, and the groups that are not stable; empty when all is well. */
  List<String> unhealthy() {
    List<String> bad = new ArrayList<>();
    for (SoakProcess p : byName.values()) {
      if (!p.healthy()) {
        bad.add(p.name);
      }
    }
    if (bad.isEmpty() && groups != null) {
      Map<String, Integer> members = new LinkedHashMap<>();
      byName.values().stream().filter(p -> p.group != null).forEach(p -> members.put(p.group, p.members));
      members.forEach((g, n) -> {
        if (!groups.stable(g, n)) {
          bad.add("group " + g);
        }
      });
    }
    return bad;
  }

  /**
   * Waits until everything is healthy; false after {@code patience}. Returns with {@link #waitedOn()}
   * naming what was unhealthy at some check of the wait, in the order first seen.
   */
  boolean awaitHealthy(Duration patience) throws IOException, InterruptedException {
    waitedOn.clear();
    return await(() -> {
      List<String> bad = unhealthy();
      waitedOn.addAll(bad);
      return bad.isEmpty();
    }, patience);
  }

  /** What the last {@link #awaitHealthy} waited on. */
  Set<String> waitedOn() {
    return waitedOn;
  }

  /** Polls {@code done} (restarting roles that died by themselves) until it holds; false after {@code patience}. */
  boolean await(BooleanSupplier done, Duration patience) throws IOException, InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      restartTheDead();
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  /** Waits {@code d}, starting again meanwhile roles that die by themselves. */
  void watch(Duration d) throws IOException, InterruptedException {
    await(() -> false, d);
  }

  private void restartTheDead() throws IOException {
    for (SoakProcess p : byName.values()) {
      if (!held.contains(p.name) && !p.alive()) {
        unplannedExits++;
        out.printf("soak: %s exited by itself (status %s); starting it again%n", p.name,
            p.exitStatus().isPresent() ? p.exitStatus().getAsInt() : "?");
        p.start();
      }
    }
  }

  int unplannedExits() {
    return unplannedExits;
  }

  /** SIGTERM to every role, then the servers, in reverse order of start. */
  void stopAll() throws IOException, InterruptedException {
    List<SoakProcess> reverse = new ArrayList<>(byName.values());
    java.util.Collections.reverse(reverse);
    for (SoakProcess p : reverse) {
      held.add(p.name);
      p.stop();
    }
  }
}
