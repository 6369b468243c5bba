package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.selection.Budget;
import io.alvlm.selection.PoolThreads;
import java.util.Objects;

/**
 * The {@code query.*} settings the pool's rounds run by: when a round opens ({@code intervalMs},
 * {@code minNew}, {@code openBelow}), how many images it asks for ({@code budget}), how long a request waits for its
 * answer ({@code deadlineMs}), the strategy's seed, and how long a step may read a finished round's
 * picks before applying it ({@code applyReadMs}); the threads a round runs on ({@code pool.threads}).
 */
record RoundSettings(Budget budget, long intervalMs, int minNew, int openBelow, long deadlineMs, long applyReadMs, long seed,
    String applicationId, PoolThreads threads) {
  RoundSettings {
    Objects.requireNonNull(budget);
    Objects.requireNonNull(applicationId);
    Objects.requireNonNull(threads);
  }

  static RoundSettings from(ServiceConfig c) {
    return new RoundSettings(c.get(Settings.QUERY_BUDGET), c.get(Settings.QUERY_INTERVAL_MS), c.get(Settings.QUERY_MIN_NEW),
        c.get(Settings.QUERY_OPEN_BELOW), c.get(Settings.QUERY_DEADLINE_MS), c.get(Settings.QUERY_APPLY_READ_MS), c.get(Settings.QUERY_SEED),
        c.get(Settings.APPLICATION_ID), c.get(Settings.POOL_THREADS));
  }
}
