package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.selection.QueryBudget;
import java.util.Objects;

/**
 * The {@code query.*} settings the pool's rounds run by: when a round opens ({@code intervalMs},
 * {@code minNew}), how many images it asks for ({@code budget}), how long a request waits for its
 * answer ({@code deadlineMs}), the strategy's seed, and how long a step may read a finished round's
 * picks before applying it ({@code applyReadMs}).
 */
record RoundSettings(QueryBudget budget, long intervalMs, int minNew, long deadlineMs, long applyReadMs, long seed,
    String applicationId) {
  RoundSettings {
    Objects.requireNonNull(budget);
    Objects.requireNonNull(applicationId);
  }

  static RoundSettings from(ServiceConfig c) {
    return new RoundSettings(c.get(Settings.QUERY_BUDGET), c.get(Settings.QUERY_INTERVAL_MS), c.get(Settings.QUERY_MIN_NEW),
        c.get(Settings.QUERY_DEADLINE_MS), c.get(Settings.QUERY_APPLY_READ_MS), c.get(Settings.QUERY_SEED),
        c.get(Settings.APPLICATION_ID));
  }
}
