package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.Compute;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolThreads;
import io.alvlm.stream.Worker;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
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

  /**
   * The fold's limits and the cells' training: from {@code pool.fold.*}, {@code cec.neighbors*}, {@code compute.*},
   * {@code query.seed}; the threads a fold job's scan splits over ({@code pool.threads}).
   */
  record Settings(int foldBatch, long foldWork, NeighborSearch search, Compute.Settings compute, long seed,
      PoolThreads threads) {
    Settings {
      Objects.requireNonNull(search);
      Objects.requireNonNull(compute);
      Objects.requireNonNull(threads);
    }

    /** The settings the service's configuration {@code c} asks for, with its {@code parts}' search and compute. */
    static Settings from(ServiceConfig c, PoolParts parts) {
      return new Settings(c.get(io.alvlm.config.Settings.POOL_FOLD_BATCH), c.get(io.alvlm.config.Settings.POOL_FOLD_WORK),
          parts.neighbors(), parts.compute(), c.get(io.alvlm.config.Settings.QUERY_SEED), c.get(io.alvlm.config.Settings.POOL_THREADS));
    }
  }

  /** The pool's index (null before its first row). */
  private final Supplier<PoolIndex> pool;
  private final NeighborWrites store;
  private final Worker<CellIndex> cellWorker;
  private final Worker<BitSet> foldWorker;
  private final Settings settings;
  private final SlowSteps steps;
  private BlockProduct products;
  /** What the store says about the lists' cell numbers ({@link NeighborStore#stampedBelow}), as last written or read. */
  private int storedStamp;

  NeighborMaintenance(Supplier<PoolIndex> pool, NeighborWrites store, Worker<CellIndex> cellWorker, Worker<BitSet> foldWorker,
      Settings settings, SlowSteps steps) {
    this.pool = Objects.requireNonNull(pool);
    this.store = Objects.requireNonNull(store);
    this.cellWorker = Objects.requireNonNull(cellWorker);
    this.foldWorker = Objects.requireNonNull(foldWorker);
    this.settings = Objects.requireNonNull(settings);
    this.steps = Objects.requireNonNull(steps);
    this.storedStamp = store.stampedBelow();
  }

  /** After an arrival: takes a finished fold, starts the cells' training if wanted, and a fold once a batch waits. */
  void arrived() {
    PoolIndex index = pool.get();
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
    long perRow = Math.max(1L, pool.get().workPerFold());
    long byWork = settings.foldWork() / perRow;
    return (int) Math.max(1, Math.min(settings.foldBatch(), byWork));
  }

  /** Starts the next bounded maintenance job of the neighbour lists on the fold worker, if there is one. */
  private void startFold() {
    pool.get().startFold(foldBatch(), products()).ifPresent(job -> {
      foldWorker.start(job);
      applyFinishedFold(); // an inline executor has finished already
    });
  }

  /** Writes the lists a finished fold job changed to the neighbour store, in this step's transaction. */
  private void applyFinishedFold() {
    PoolIndex index = pool.get();
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
      Optional<CellIndex> before = index.cells();
      index.finishFold(changed).stream().forEach(r -> store.putList(r, index.encodedList(r)));
      storeGrownCells(index, before);
      steps.note(String.format("wrote %d lists of a fold job in %d ms", changed.cardinality(),
          (System.nanoTime() - t0) / 1_000_000));
    });
  }

  /**
   * After a fold job: when the scans switched to more cells, their centroids replace the stored ones, and
   * the store says below which row the lists' cell numbers hold (they are re-stamped a chunk per job).
   */
  private void storeGrownCells(PoolIndex index, Optional<CellIndex> before) {
    if (before.isPresent() && index.cells().get() != before.get()) {
      store.putCells(index.cells().get());
      LOG.info("neighbour search: the scans probe {} cells now; re-stamping the stored lists", index.cells().get().cells());
    }
    int stamped = index.growth().stampedBelow();
    if (stamped != storedStamp) {
      store.putStampedBelow(stamped);
      storedStamp = stamped;
    }
  }

  private BlockProduct products() {
    if (products == null) {
      // the engine loads on the fold worker at its first product, not on the stream thread
      products = BlockProduct.lazily(() -> Compute.of(settings.compute()), settings.threads());
    }
    return products;
  }

  /**
   * Approximate neighbours: installs the cells once the cell worker has trained them (their centroids
   * go to the neighbour store, each row's cell with its list). Only while no fold job owns the lists.
   */
  private void installTrainedCells() {
    PoolIndex index = pool.get();
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
    } else if (trained.isPresent() && index.probedCells() > 0 && trained.get().cells() > index.probedCells()) {
      // stored once the scans switch to them: until then a restore reads the cells the lists name
      index.installMoreCells(trained.get());
      LOG.info("neighbour search: {} more cells trained, filing {} rows into them", trained.get().cells(), index.size());
    }
  }

  /**
   * Starts training the cells on the cell worker once the pool wants them (none installed, none
   * training or trained and waiting). Called on every arrival and punctuation, not only when the fold
   * worker is idle: while records stream in, a new fold job starts as soon as the last one is taken,
   * so a check made only at idle moments waited for the stream to stop.
   */
  private void startTrainingCellsIfWanted() {
    PoolIndex index = pool.get();
    boolean first = index.wantsCells();
    if (!cellWorker.busy() && (first || index.wantsMoreCells())) {
      long seed = settings.seed() + index.probedCells(); // a re-split draws its own sample
      float[] sample = index.cellTrainingSample(seed);
      int cells = settings.search().cellsFor(index.count(PoolStatus.UNLABELED) + index.count(PoolStatus.PENDING));
      Compute.Settings compute = settings.compute();
      int dim = index.dim();
      LOG.info("neighbour search: training {} cells on {} of {} rows", cells, sample.length / dim, index.size());
      if (first) index.cellsWanted(); // pool.features.precision=auto: the rows turn fp16 as the cells start training
      cellWorker.start(() -> CellIndex.train(sample, dim, cells, seed, compute));
    }
  }

  @Override
  public void close() {
    cellWorker.close();
    foldWorker.close();
  }
}
