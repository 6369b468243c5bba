package io.alvlm.pool;

import io.alvlm.coop.PromptModel;
import io.alvlm.selection.PoolStatus;
import io.alvlm.stopping.StopSet;
import io.alvlm.stopping.StoppingRule;
import io.alvlm.stream.ServiceMetrics;
import java.util.Objects;

/**
 * The stopping rule ({@code query.stop}) in the pool, on the stream thread: at the first model it sees, it
 * draws the seeded stop set from the unlabelled images and takes that model's predictions as the baseline;
 * every later model's predictions on the set feed {@link StoppingRule#observe}, one stop-set × classes × dim
 * pass per model. Once a {@code stable} rule fires, rounds pause until the pool has grown by
 * {@link #RESUME_GROWTH} of its size at the firing (new images change what is left to ask), and the rule
 * starts counting again. Kept in memory: after a restart the first model seen is the baseline again.
 */
final class StopCheck {
  /** Growth of the pool since the firing that resumes rounds. */
  static final double RESUME_GROWTH = 0.1;

  private final StoppingRule.Settings settings;
  private final long seed;
  private final ServiceMetrics metrics;
  private int[] stopRows;
  private StoppingRule rule;
  private long version = -1;
  private int sizeAtFiring = -1;
  private StoppingRule.Assessment last;

  StopCheck(StoppingRule.Settings settings, long seed, ServiceMetrics metrics) {
    this.settings = Objects.requireNonNull(settings);
    this.seed = seed;
    this.metrics = Objects.requireNonNull(metrics);
  }

  /** Reads {@code model} once, when it is new to the check and the pool has images. */
  void observe(PoolIndex index, PromptModel model) {
    if (model.version() == version || index.size() == 0) return;
    version = model.version();
    if (stopRows == null) {
      stopRows = StopSet.draw(index.size(), r -> index.status(r) == PoolStatus.UNLABELED, settings.setSize(), seed);
    }
    int[] predictions = new int[stopRows.length];
    for (int i = 0; i < stopRows.length; i++) predictions[i] = argmax(model.probabilities(index.features(stopRows[i])));
    if (rule == null) {
      rule = new StoppingRule(settings, model.classes(), predictions);
      return;
    }
    last = rule.observe(index.count(PoolStatus.LABELED), predictions);
    if (last.fired() && sizeAtFiring < 0) sizeAtFiring = index.size();
    metrics.stopRule(last.kappa(), last.forecast(), paused());
  }

  /** Whether rounds pause now: the rule fired and the pool has not grown enough since; resumes the rule once it has. */
  boolean paused(PoolIndex index) {
    if (sizeAtFiring >= 0 && index.size() >= sizeAtFiring * (1 + RESUME_GROWTH)) {
      rule.resume();
      sizeAtFiring = -1;
      metrics.stopRule(last.kappa(), last.forecast(), false);
    }
    return paused();
  }

  private boolean paused() {
    return rule != null && rule.fired();
  }

  /** The latest model's reading; null before the second model. */
  StoppingRule.Assessment last() {
    return last;
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  }
}
