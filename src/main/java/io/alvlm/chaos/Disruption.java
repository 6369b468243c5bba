package io.alvlm.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One thing a chaos run does to the system: SIGKILL the service (optionally wiping its state
 * directory before the restart) or restart the broker, at a moment picked by watching the topics.
 */
record Disruption(Action action, Moment moment, boolean wipeState) {
  /** What is done. */
  enum Action { KILL, BROKER_RESTART }

  /**
   * When: after some more embeddings, right after a query round, while the trainer retrains, or
   * while the pool folds arrivals into its neighbour lists (an index build).
   */
  enum Moment {
    MID_BATCH("mid-batch"), MID_ROUND("mid-round"), MID_TRAINING("mid-training"), MID_INDEX_BUILD("mid-index-build");

    final String label;

    Moment(String label) {
      this.label = label;
    }
  }

  /**
   * {@code kills} kills cycling through the moments (mid-batch first, while the stream is young),
   * {@code brokerRestarts} broker restarts at seeded places between them, and the state wipe on one
   * seeded kill.
   */
  static List<Disruption> plan(int kills, int brokerRestarts, boolean wipeState, Random random) {
    if (wipeState && kills < 1) {
      throw new IllegalArgumentException("--wipe-state needs at least one kill (the state is wiped before a restart)");
    }
    Moment[] moments = Moment.values();
    int wipeAt = wipeState ? random.nextInt(kills) : -1;
    List<Disruption> plan = new ArrayList<>();
    for (int i = 0; i < kills; i++) {
      plan.add(new Disruption(Action.KILL, moments[i % moments.length], i == wipeAt));
    }
    for (int i = 0; i < brokerRestarts; i++) {
      int at = plan.isEmpty() ? 0 : 1 + random.nextInt(plan.size());
      plan.add(at, new Disruption(Action.BROKER_RESTART, random.nextBoolean() ? Moment.MID_BATCH : Moment.MID_ROUND, false));
    }
    return plan;
  }
}
