package io.alvlm.selection;

/**
 * An active-learning query strategy. Implementations are stateless apart from their settings, are
 * deterministic for a given seed, never pick a row that is not {@link PoolStatus#UNLABELED}, and
 * return {@code min(budget, eligible)} distinct rows.
 */
public interface Strategy {
  /** The name used in configs and on the CLI ({@code cec}, {@code random}, ...). */
  String name();

  /**
   * Picks up to {@code budget} rows of {@code pool} to label.
   *
   * @param budget number of images wanted; 0 returns an empty selection
   * @param seed seed for every random choice the strategy makes
   */
  Selection select(PoolView pool, int budget, long seed);
}
