package io.alvlm.pool;

import io.alvlm.config.SelectionSettings;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.selection.ColdStart;
import io.alvlm.selection.DeduplicatedStrategy;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Strategy;
import io.alvlm.stopping.StoppingRule;
import java.util.Objects;
import java.util.Optional;

/**
 * How the pool's rounds spend labels beyond the strategy (docs/labels.md): near-duplicate suppression
 * ({@code query.dedup.cosine}, empty when off) and label propagation at its threshold ({@code query.dedup.propagate}), the share of a round that may re-ask suspect labels and the
 * audit's model weight ({@code query.recheck.*}), the cold start ({@code query.cold-start}) and the stopping
 * rule ({@code query.stop*}).
 */
record SpendingRules(Optional<Double> dedupCosine, boolean propagate, double recheckShare, double auditModelWeight, ColdStart coldStart,
    StoppingRule.Settings stop) {
  SpendingRules {
    Objects.requireNonNull(dedupCosine);
    Objects.requireNonNull(coldStart);
    Objects.requireNonNull(stop);
  }

  static SpendingRules from(ServiceConfig c) {
    return new SpendingRules(c.get(Settings.QUERY_DEDUP_COSINE), c.get(Settings.QUERY_DEDUP_PROPAGATE), c.get(Settings.QUERY_RECHECK_SHARE),
        c.get(Settings.QUERY_RECHECK_MODEL_WEIGHT), c.get(Settings.QUERY_COLD_START), SelectionSettings.stop(c));
  }

  /** The threshold of label propagation; empty when it is off, or dedup is. */
  Optional<Double> propagateCosine() {
    return propagate ? dedupCosine : Optional.empty();
  }

  /** The strategy a round over {@code pool} runs: the cold start's while nothing is labelled, deduplicated when on. */
  Strategy strategyFor(PoolView pool, Strategy regular) {
    Strategy s = coldStart.strategyFor(pool, regular);
    return dedupCosine.<Strategy>map(t -> new DeduplicatedStrategy(s, t)).orElse(s);
  }
}
