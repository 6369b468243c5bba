package io.alvlm.config;

import io.alvlm.selection.CecStrategy;
import io.alvlm.selection.Compute;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import io.alvlm.selection.WeightedKMeans;
import io.alvlm.stopping.StoppingRule;

/**
 * The selection's typed parameters, built from the service's typed settings: the strategy of
 * {@code query.strategy} with CEC's {@code cec.*} parameters, the {@code compute.*} settings and
 * the neighbour search of {@code cec.neighbors*}. The service builds them once, at start.
 */
public final class SelectionSettings {
  private SelectionSettings() {}

  /** The {@code compute.*} settings. */
  public static Compute.Settings compute(ServiceConfig c) {
    return new Compute.Settings(c.get(Settings.COMPUTE_DEVICE), c.get(Settings.COMPUTE_HALF));
  }

  /** {@code cec.neighbors} and its knobs. */
  public static NeighborSearch neighborSearch(ServiceConfig c) {
    return new NeighborSearch(c.get(Settings.CEC_NEIGHBORS), c.get(Settings.CEC_NEIGHBORS_CELLS),
        c.get(Settings.CEC_NEIGHBORS_NPROBE), c.get(Settings.CEC_NEIGHBORS_AUTO_WORK),
        c.get(Settings.CEC_NEIGHBORS_CELLS_PER_SQRT));
  }

  /** CEC's parameters: {@code cec.*} and {@code compute.*}; k-means' iterations and tolerance keep their defaults. */
  public static CecStrategy.Settings cec(ServiceConfig c) {
    WeightedKMeans.Settings d = WeightedKMeans.Settings.defaults();
    return new CecStrategy.Settings(c.get(Settings.CEC_TOP_N), c.get(Settings.CEC_K), c.get(Settings.CEC_LAMBDA),
        new WeightedKMeans.Settings(c.get(Settings.CEC_KMEANS_INITS), d.iterations(), d.tolerance(),
            c.get(Settings.CEC_KMEANS_MAX_ROWS), c.get(Settings.CEC_KMEANS_SAMPLED_INITS), compute(c)));
  }

  /** The stopping rule's {@code query.stop*} settings. */
  public static StoppingRule.Settings stop(ServiceConfig c) {
    return new StoppingRule.Settings(c.get(Settings.QUERY_STOP), c.get(Settings.QUERY_STOP_KAPPA), c.get(Settings.QUERY_STOP_ROUNDS),
        c.get(Settings.QUERY_STOP_SETTLE), c.get(Settings.QUERY_STOP_SET_SIZE));
  }

  /** The strategy of {@code query.strategy}, CEC (plain or under pcb:) with {@link #cec}. */
  public static Strategy strategy(ServiceConfig c) {
    return Strategies.create(c.get(Settings.QUERY_STRATEGY), cec(c));
  }
}
