package io.alvlm.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault of a soak's schedule: a SIGKILL of a role's process, a broker restart, a registry outage,
 * a process frozen (SIGSTOP) past its consumer session timeout, or the pool's state disk filled.
 *
 * @param target the process killed or frozen (null for the others)
 */
record Fault(Kind kind, String target) {
  /** What is done. */
  enum Kind { KILL, BROKER_RESTART, REGISTRY_OUTAGE, PAUSE, DISK_FULL }

  /**
   * The order faults come in: kills of each role in turn with the broker restart and a frozen
   * process early (a short run gets those), then the registry outage and the full disk.
   */
  static final List<Fault> CYCLE = List.of(new Fault(Kind.KILL, "embedder-1"), new Fault(Kind.BROKER_RESTART, null),
      new Fault(Kind.KILL, "pool"), new Fault(Kind.PAUSE, "embedder-2"), new Fault(Kind.KILL, "trainer"),
      new Fault(Kind.REGISTRY_OUTAGE, null), new Fault(Kind.KILL, "workbench"), new Fault(Kind.KILL, "embedder-2"),
      new Fault(Kind.DISK_FULL, "pool"), new Fault(Kind.PAUSE, "pool"), new Fault(Kind.PAUSE, "trainer"),
      new Fault(Kind.BROKER_RESTART, null));

  /** {@code count} faults taken from the cycle, again from its start when it runs out. */
  static List<Fault> plan(int count) {
    List<Fault> plan = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      plan.add(CYCLE.get(i % CYCLE.size()));
    }
    return plan;
  }

  /** Faults in a run of {@code minutes}: one per 150 s, at least 4. */
  static int count(double minutes) {
    return Math.max(4, (int) Math.round(minutes * 60 / 150));
  }

  String label() {
    return switch (kind) {
      case KILL -> "SIGKILL " + target;
      case BROKER_RESTART -> "broker restart";
      case REGISTRY_OUTAGE -> "registry outage";
      case PAUSE -> "SIGSTOP " + target;
      case DISK_FULL -> "disk full under " + target;
    };
  }
}
