package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.stream.Worker;
import java.util.Objects;

/**
 * The pool task's selection engine without Kafka: the same {@link PoolIndex} and
 * {@link NeighborMaintenance} the pool's processor folds arrivals with, and a round's strategy as its
 * {@link QueryRounds} run it, on no store and no broker; the fold and cell jobs run inline, on the
 * caller's thread (their products split over {@code pool.threads} as in the pool). For
 * {@code bench pool-engine} (a machine without a broker) and for writing a pool's state in bulk
 * ({@link PoolPreload}). An arrival followed by {@link #settle} leaves the lists the pool's processor
 * leaves for the same arrivals when its workers run inline. Not thread-safe.
 */
public final class PoolEngine implements AutoCloseable {
  /** A fold step never takes more than this many punctuations' worth of ticks to settle; past it something loops. */
  private static final int MAX_TICKS = 1_000_000;
  private final ServiceConfig config;
  private final PoolIndex index;
  private final NeighborMaintenance maintenance;
  private final PoolParts parts;
  private final RoundSettings round;
  private final SpendingRules rules;

  /** An empty pool of width {@code dim}, by the pool settings of {@code config} ({@code cec.*}, {@code pool.*}, {@code compute.*}, {@code query.*}). */
  public PoolEngine(ServiceConfig config, int dim) {
    this.config = Objects.requireNonNull(config);
    this.parts = PoolParts.from(config);
    // as PoolState makes the processor's index
    this.index = new PoolIndex(dim, config.get(Settings.CEC_K), parts.neighbors(), config.get(Settings.POOL_FEATURES_PRECISION));
    this.maintenance = new NeighborMaintenance(() -> index, NeighborWrites.NONE, Worker.on(Runnable::run),
        Worker.on(Runnable::run), NeighborMaintenance.Settings.from(config, parts),
        SlowSteps.unmetered());
    this.round = RoundSettings.from(config);
    this.rules = SpendingRules.from(config);
  }

  /** An image arrives, as at the pool's processor: placed at the next row, then a fold step if a batch waits. Returns its row. */
  public int arrive(String id, float[] vector) {
    int row = index.nextRow();
    index.place(id, row, vector, PoolStatus.UNLABELED, -1, null);
    maintenance.arrived();
    return row;
  }

  /**
   * Punctuations, as the pool's processor ticks, until every arrival is folded in and the cells are
   * trained, installed and grown as the pool wants. Returns the ticks it took.
   */
  public int settle() {
    int ticks = 0;
    while (!settled()) {
      if (++ticks > MAX_TICKS) throw new IllegalStateException("the pool's lists did not settle: " + index.neighborSearch());
      maintenance.tick();
    }
    return ticks;
  }

  private boolean settled() {
    return index.current() && !index.wantsCells() && !index.wantsMoreCells() && !index.growth().busy()
        && (index.cells().isEmpty() || index.probedCells() > 0);
  }

  /**
   * One round over the pool as it is now, as the pool's round worker runs it (no labels, so no
   * rechecks): the round's strategy ({@link SpendingRules#strategyFor}) for {@code query.budget}, seeded
   * for round {@code number}, on the pool's threads. Call after {@link #settle}.
   */
  public Selection round(long number, float[] classText, int classes, float logitScale) {
    PoolView snapshot = index.snapshot(classText, classes, logitScale);
    int wanted = round.budget().images(index.size(), classes);
    return round.threads().call(() -> rules.strategyFor(snapshot, parts.strategy()).select(snapshot, wanted, round.seed() + number));
  }

  /** The index the engine folds into (its rows, lists and cells). */
  public PoolIndex index() {
    return index;
  }

  /** The settings the engine runs by. */
  public ServiceConfig config() {
    return config;
  }

  @Override
  public void close() {
    maintenance.close();
  }
}
