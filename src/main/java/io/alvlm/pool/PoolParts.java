package io.alvlm.pool;

import io.alvlm.config.SelectionSettings;
import io.alvlm.config.ServiceConfig;
import io.alvlm.selection.Compute;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.Strategy;
import java.util.Objects;

/**
 * What the pool task computes with, built once by the service from its settings and passed in
 * through the topology: the selection strategy, how neighbours are found ({@code cec.neighbors*})
 * and where the pool's products run ({@code compute.*}).
 */
public record PoolParts(Strategy strategy, NeighborSearch neighbors, Compute.Settings compute) {
  public PoolParts {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(neighbors, "neighbors");
    Objects.requireNonNull(compute, "compute");
  }

  /** The parts the service's settings ask for ({@link SelectionSettings}). */
  public static PoolParts from(ServiceConfig c) {
    return new PoolParts(SelectionSettings.strategy(c), SelectionSettings.neighborSearch(c), SelectionSettings.compute(c));
  }
}
