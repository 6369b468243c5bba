package io.alvlm.pool;

import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.Compute;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.stream.Worker;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the neighbour lists current off the stream thread: arrivals are folded into the lists a
 * micro-batch at a time (at most {@code pool.fold.batch} arrivals and {@code pool.fold.max-work}
 * multiply-adds a job) on the fold {@link Worker}; the cells of approximate search train on the cell
 * worker; a later step writes what a job changed to the {@link NeighborStore}, in that step's
 * transaction, so a restart or a standby reads the lists back instead of recomputing them.
 */
final class NeighborMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NeighborMaintenance.class);

  /** The fold's limits and the cells' training: from {@code pool.fold.*}, {@code cec.neighbors*}, {@code compute.*}, {@code query.seed}. */
  record Settings(int foldBatch, long foldWork, NeighborSearch search, Compute.Settings compute, long seed) {
    Settings {
      Objects.requireNonNull(search);
      Objects.requireNonNull(compute);
    }
  }

  private final PoolState state;
  private final NeighborStore store;
  private final Worker<CellIndex> cellWorker;
  private final Worker<BitSet> foldWorker;
  private final Settings settings;
  private final SlowSteps steps;
  private BlockProduct products;

  NeighborMaintenance(PoolState state, NeighborStore store, Worker<CellIndex> cellWorker, Worker<BitSet> foldWorker,
      Settings settings, SlowSteps steps) {
    this.state = Objects.requireNonNull(state);
    this.store = Objects.requireNonNull(store);
    this.cellWorker = Objects.requireNonNull(cellWorker);
    this.foldWorker = Objects.requireNonNull(foldWorker);
    this.settings = Objects.requireNonNull(settings);
    this.steps = Objects.requireNonNull(steps);
  }

  /** After an arrival: takes a finished fold, starts the cells' training if wanted, and a fold once a batch waits. */
  void arrived() {
    PoolIndex index = state.index();
    applyFinishedFold();
    steps.timed("cells", this::startTrainingCellsIfWanted);
    if (!foldWorker.busy() && index.unfolded() >= foldBatch()) {
      steps.timed("starting a fold", () -> {
        installTrainedCells();
        startFold(); // a full batch waits: start it now rather than at the next tick
      });
    }
  }

  /** On a punctuation: takes a finished fold, installs trained cells and starts the next fold while none runs. */
  void tick() {
    applyFinishedFold();
    steps.timed("cells", () -> {
      startTrainingCellsIfWanted(); // also with no arrivals, e.g. a restored pool that had no cells yet
      if (!foldWorker.busy()) {
        installTrainedCells(); // the cells change hands only while no fold job owns them
        startFold();
      }
    });
  }

  /** Newcomers per fold step: the configured batch, fewer when the pool is large (bounded work per step). */
  private int foldBatch() {
    long perRow = Math.max(1L, state.index().workPerFold());
    long byWork = settings.foldWork() / perRow;
    return (int) Math.max(1, Math.min(settings.foldBatch(), byWork));
  }

  /** Starts the next bounded maintenance job of the neighbour lists on the fold worker, if there is one. */
  private void startFold() {
    state.index().startFold(foldBatch(), products()).ifPresent(job -> {
      foldWorker.start(job);
      applyFinishedFold(); // an inline executor has finished already
    });
  }

  /** Writes the lists a finished fold job changed to the neighbour store, in this step's transaction. */
  private void applyFinishedFold() {
    PoolIndex index = state.index();
    Optional<BitSet> done;
    try {
      done = foldWorker.take();
    } catch (RuntimeException e) {
      LOG.warn("folding arrivals into the neighbour lists failed; its rows wait for the next fold", e);
      index.abandonFold();
      return;
    }
    done.ifPresent(changed -> {
      long t0 = System.nanoTime();
      index.finishFold(changed).stream().forEach(r -> store.putList(r, index.encodedList(r)));
      steps.note(String.format("wrote %d lists of a fold job in %d ms", changed.cardinality(),
          (System.nanoTime() - t0) / 1_000_000));
    });
  }

  private BlockProduct products() {
    if (products == null) {
      // the engine loads on the fold worker at its first product, not on the stream thread
      products = BlockProduct.lazily(() -> Compute.of(settings.compute()));
    }
    return products;
  }

  /**
   * Approximate neighbours: installs the cells once the cell worker has trained them (their centroids
   * go to the neighbour store, each row's cell with its list). Only while no fold job owns the lists.
   */
  private void installTrainedCells() {
    PoolIndex index = state.index();
    Optional<CellIndex> trained;
    try {
      trained = cellWorker.take();
    } catch (RuntimeException e) {
      LOG.warn("training the neighbour cells failed; the lists stay exact and training is tried again", e);
      return;
    }
    if (trained.isPresent() && index.cells().isEmpty()) {
      CellIndex c = trained.get();
      store.putCells(c);
      index.installCells(c);
      LOG.info("neighbour search: {} cells trained, filing {} rows into them", c.cells(), index.size());
    }
  }

  /**
   * Starts training the cells on the cell worker once the pool wants them (none installed, none
   * training or trained and waiting). Called on every arrival and punctuation, not only when the fold
   * worker is idle: while records stream in, a new fold job starts as soon as the last one is taken,
   * so a check made only at idle moments waited for the stream to stop.
   */
  private void startTrainingCellsIfWanted() {
    PoolIndex index = state.index();
    if (!cellWorker.busy() && index.wantsCells()) {
      long seed = settings.seed();
      float[] sample = index.cellTrainingSample(seed);
      NeighborSearch search = settings.search();
      Compute.Settings compute = settings.compute();
      int dim = index.dim();
      LOG.info("neighbour search: training {} cells on {} of {} rows", search.cells(), sample.length / dim, index.size());
      index.cellsWanted(); // pool.features.precision=auto: the rows turn fp16 as the cells start training
      cellWorker.start(() -> CellIndex.train(sample, dim, search.cells(), seed, compute));
    }
  }

  @Override
  public void close() {
    cellWorker.close();
    foldWorker.close();
  }
}
