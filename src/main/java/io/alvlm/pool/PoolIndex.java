package io.alvlm.pool;

import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.FeatureRows;
import io.alvlm.selection.MaintainedNeighbors;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Vectors;
import java.util.BitSet;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pool task's in-memory dense view of the pool: one row per image, in arrival order (the row
 * number is stored with the image, so it survives restarts), holding its L2-normalised features (the
 * one in-memory copy), status and label, plus the k-nearest-neighbour lists of the unlabelled pool.
 *
 * <p>Lists are maintained in micro-batches, off the stream thread: {@link #place} only places a row;
 * {@link #startFold} takes the next bounded step (repair the lists that held rows which left the
 * unlabelled pool, then fold a batch of newcomers in with one blocked product against the pool) as a
 * job for the fold worker, which owns the lists and cells until {@link #finishFold} (or
 * {@link #abandonFold}) hands them back; meanwhile {@link #place} and {@link #setStatus} go on, and
 * the job sees the members as they were when it started (a row labelled meanwhile is repaired by the
 * next job). {@link #maintain} runs one step inline. {@link #current()} says whether every row is folded
 * in and no job is out, which rounds wait for. {@link #snapshot} hands a round worker an immutable
 * view.
 *
 * <p>With approximate neighbours ({@link NeighborSearch}) the lists switch, once the pool is large
 * enough, from exact scans to probing a {@link CellIndex}: the caller trains the cells off the stream
 * thread on {@link #cellTrainingSample}, {@link #installCells} hands them over, {@link #maintain} files
 * every row under its cell in bounded steps and then lets the scans probe them; each row's cell is
 * stored with its list ({@link NeighborStore}). Not thread-safe: owned by the pool task's thread.
 */
public final class PoolIndex {
  private final int dim;
  private final MaintainedNeighbors neighbors;
  private final RowTable table = new RowTable();
  /** The rows; switched to fp16 once under {@link FeaturePrecision#AUTO} ({@link #cellsWanted}), old chunks converted a step at a time. */
  private FeatureRows features;
  private final FeaturePrecision precision;
  /** Rows of the unlabelled pool whose neighbours are not folded in yet. */
  private final BitSet unfolded = new BitSet();
  /** Rows that left the unlabelled pool since the last repair. */
  private final BitSet left = new BitSet();
  /** Rows of the unlabelled pool (UNLABELED or PENDING): what a fold job copies as its members. */
  private final BitSet members = new BitSet();
  /** The step a fold job is running, null when none is out. */
  private FoldStep running;
  /** Rows below which every row with a list lies: what a fold scans (arrivals beyond it wait for their own job). */
  private int foldedExtent;
  private final NeighborSearch search;
  /** The cells, once installed or restored; the scans probe them once every row is filed. */
  private CellIndex cells;
  /** Rows not yet filed under a cell while {@link #cells} exist. */
  private final BitSet unfiled = new BitSet();
  /** Rows filed each step before the cells take over the scans (bounds the step). */
  private static final int FILE_ROWS_PER_STEP = 16_384;

  public PoolIndex(int dim, int k) {
    this(dim, k, NeighborSearch.exact(), FeaturePrecision.FP32);
  }

  public PoolIndex(int dim, int k, NeighborSearch search, FeaturePrecision precision) {
    this.dim = dim;
    this.neighbors = new MaintainedNeighbors(k);
    this.precision = precision;
    this.features = precision == FeaturePrecision.FP16 ? FeatureRows.growing(dim).halfFromNowOn() : FeatureRows.growing(dim);
    this.search = search;
  }

  public int dim() {
    return dim;
  }

  /** Rows in use: one past the largest row placed. */
  public int size() {
    return table.size();
  }

  public Integer row(String id) {
    return table.row(id);
  }

  public String id(int row) {
    return table.id(row);
  }

  public PoolStatus status(int row) {
    return table.status(row);
  }

  public int count(PoolStatus s) {
    return table.count(s);
  }

  /** The row the next arrival takes. */
  public int nextRow() {
    return table.size();
  }

  /**
   * Places an image at {@code row} (its arrival order); its features are normalised here. A row of
   * the unlabelled pool waits for {@link #maintain} unless {@code lists} are given (read back from
   * the neighbour store on restart), in which case they are taken as they are.
   */
  public void place(String id, int row, float[] vector, PoolStatus s, int label, byte[] lists) {
    if (vector.length != dim) {
      throw new IllegalArgumentException("image " + id + ": vector has " + vector.length + " values, the pool holds " + dim);
    }
    table.checkFree(id, row);
    convertAChunk();
    features.set(row, Vectors.normalizedRows(vector, dim), 0);
    table.place(id, row, s, label);
    if (s != PoolStatus.LABELED) {
      members.set(row);
      if (lists != null) {
        requireNoFold("restoring a list");
        neighbors.decode(row, lists);
        foldedExtent = Math.max(foldedExtent, row + 1);
      } else {
        unfolded.set(row);
      }
    }
    int cell = lists == null ? -1 : MaintainedNeighbors.cellOf(lists);
    if (cells != null && cell >= 0 && cell < cells.cells()) {
      cells.put(row, cell);
    } else if (cells != null) {
      unfiled.set(row);
    }
  }

  /** Moves a row to a new status; leaving the unlabelled pool empties its list and repairs those that held it. */
  public void setStatus(int row, PoolStatus s, int label) {
    PoolStatus old = table.setStatus(row, s, label);
    if (old == s) {
      return;
    }
    if (s == PoolStatus.LABELED) {
      unfolded.clear(row);
      left.set(row);
      members.clear(row);
    } else if (old == PoolStatus.LABELED) {
      left.clear(row);
      unfolded.set(row);
      members.set(row);
    }
  }

  /**
   * Call once every stored row is placed: lists read back from the store that still name a row that
   * has left the unlabelled pool (its label committed before the repair did) are queued for repair.
   */
  public void restored() {
    if (cells != null && unfiled.isEmpty()) {
      neighbors.useCells(cells, search.nprobe());
    }
    for (int r = 0; r < table.size(); r++) {
      if (!member(r)) continue;
      for (int other : neighbors.neighbors(r)) {
        if (!member(other)) left.set(other);
      }
    }
  }

  /** Whether every row of the unlabelled pool is folded into the lists, every departure repaired, and no fold job is out. */
  public boolean current() {
    return unfolded.isEmpty() && left.isEmpty() && running == null;
  }

  /** Whether a fold job is out (it owns the lists and cells until {@link #finishFold}). */
  public boolean folding() {
    return running != null;
  }

  /** Rows still to fold in, those of a running fold job included. */
  public int unfolded() {
    FoldStep r = running;
    return unfolded.cardinality() + (r == null ? 0 : r.batch().length);
  }

  /**
   * One step inline: {@link #startFold} and the job run on this thread, then {@link #finishFold}.
   * Returns the rows whose lists changed, for the caller to persist with {@link #encodedList}.
   */
  public BitSet maintain(int maxBatch, BlockProduct products) {
    return startFold(maxBatch, products).map(job -> finishFold(job.get())).orElseGet(BitSet::new);
  }

  /**
   * Takes the next bounded step of list maintenance off this index as a job for the fold worker:
   * before the cells take over the scans, file a bounded chunk of rows under them; otherwise repair
   * the lists that held departed rows, then fold up to {@code maxBatch} newcomers in. The job returns
   * the rows whose lists changed; hand them to {@link #finishFold} on the owning thread. Empty when
   * there is nothing to do. Until then the job owns the lists and the cells: this index only
   * {@link #place}s rows and {@link #setStatus}es them (the job sees the members as they are now).
   */
  public Optional<Supplier<BitSet>> startFold(int maxBatch, BlockProduct products) {
    if (running != null) throw new IllegalStateException("a fold job is still running");
    convertAChunk();
    int[] file = new int[0];
    boolean approximate = neighbors.approximate();
    if (!unfiled.isEmpty()) {
      // before the cells take over, file a bounded chunk a step; after, only newcomers wait here
      file = unfiled.stream().limit(approximate ? Integer.MAX_VALUE : FILE_ROWS_PER_STEP).toArray();
      for (int r : file) unfiled.clear(r);
    }
    boolean useCells = !approximate && file.length > 0 && unfiled.isEmpty();
    BitSet repair = new BitSet();
    int[] batch = new int[0];
    if (approximate || file.length == 0) {
      repair = (BitSet) left.clone();
      left.clear();
      if (maxBatch > 0) {
        batch = unfolded.stream().limit(maxBatch).toArray();
        for (int r : batch) unfolded.clear(r);
      }
    }
    if (file.length == 0 && repair.isEmpty() && batch.length == 0) return Optional.empty();
    int extent = Math.max(foldedExtent, Math.max(repair.length(), batch.length == 0 ? 0 : batch[batch.length - 1] + 1));
    FoldStep step = new FoldStep(file, useCells, repair, batch, extent);
    running = step;
    // what the job reads: rows placed so far (chunks never move), the members as they are now, less
    // the arrivals still waiting for a later job: those get their lists, and enter others', when folded
    BitSet member = (BitSet) members.clone();
    member.andNot(unfolded);
    return Optional.of(step.job(features.view(table.size()), member, cells, search.nprobe(), neighbors, products));
  }

  /** Takes the lists and cells back from a finished fold job; returns {@code changed}, the rows to persist. */
  public BitSet finishFold(BitSet changed) {
    if (running == null) throw new IllegalStateException("no fold job is out");
    foldedExtent = Math.max(foldedExtent, running.extent());
    running = null;
    return changed;
  }

  /**
   * Takes the lists back from a fold job that failed: its rows wait again (to be filed, repaired or
   * folded by the next job), so nothing is lost; lists it half-changed are rebuilt by that job.
   */
  public void abandonFold() {
    FoldStep s = running;
    if (s == null) throw new IllegalStateException("no fold job is out");
    running = null;
    for (int r : s.file()) unfiled.set(r);
    s.repair().stream().filter(r -> !member(r)).forEach(left::set);
    for (int r : s.batch()) {
      if (member(r)) unfolded.set(r);
    }
  }

  /** {@code row}'s neighbour list as stored bytes (empty for a row outside the unlabelled pool), with its cell. */
  public byte[] encodedList(int row) {
    requireNoFold("reading a list");
    return neighbors.encode(row, cells == null ? -1 : cells.cellOf(row));
  }

  /** Multiply-adds folding one newcomer costs now. */
  public long workPerFold() {
    return neighbors.workPerRow(foldedExtent, dim);
  }

  /** Whether the pool should get cells now (approximate search wanted, none installed). */
  public boolean wantsCells() {
    return cells == null && search.wantsCells(count(PoolStatus.UNLABELED) + count(PoolStatus.PENDING), dim);
  }

  /** The rows (features, a copy) the cells should be trained on: a sample of the unlabelled pool. */
  public float[] cellTrainingSample(long seed) {
    return CellIndex.trainingSample(features, members.stream().toArray(), search.cells(), 64, seed);
  }

  /**
   * Call when the pool starts training its cells: under {@link FeaturePrecision#AUTO} the rows turn
   * fp16 now, not when the cells are installed: rows keep arriving while the cells train, and
   * converting them all at installation held them twice, in fp32 and fp16 (docs/benchmarks.md). Every
   * later row is placed in fp16; the rows held are converted a chunk a step ({@link #place}, {@link #startFold}).
   */
  public void cellsWanted() {
    if (precision == FeaturePrecision.AUTO) features = features.halfFromNowOn();
  }

  /** One chunk of fp32 rows turned fp16 while the pool switches ({@link #cellsWanted}): bounded work a step. */
  private void convertAChunk() {
    if (features.converting()) features.convertOneChunk();
  }

  /**
   * Takes trained (or restored) cells: every row is filed under its cell in bounded steps by
   * {@link #maintain}, after which the scans probe them. Call before placing rows on restore.
   */
  public void installCells(CellIndex c) {
    if (c.dim() != dim) throw new IllegalArgumentException("cells of dim " + c.dim() + " for a pool of dim " + dim);
    if (cells != null) throw new IllegalStateException("the pool has cells already");
    requireNoFold("installing cells");
    cells = c;
    // cells restored before any row is placed (a restart), or installed without being trained here;
    // views already handed out (a round's snapshot) keep their fp32 chunks
    cellsWanted();
    for (int r = 0; r < table.size(); r++) {
      if (table.status(r) != null) unfiled.set(r);
    }
  }

  /** The cells, when there are any. */
  public Optional<CellIndex> cells() {
    return Optional.ofNullable(cells);
  }

  /** Cells the scans probe now; 0 while they are exact. */
  public int probedCells() {
    return neighbors.approximate() ? cells.cells() : 0;
  }

  /** {@code exact}, or {@code approximate (C cells, nprobe P)} once the scans probe cells; {@code filing} while rows are being filed. */
  public String neighborSearch() {
    if (neighbors.approximate()) return "approximate (" + cells.cells() + " cells, nprobe " + search.nprobe() + ")";
    return cells == null ? "exact" : "exact, filing " + unfiled.cardinality() + " rows into " + cells.cells() + " cells";
  }

  private void requireNoFold(String what) {
    if (running != null) throw new IllegalStateException(what + " while a fold job owns the lists");
  }

  private boolean member(int row) {
    return members.get(row);
  }

  /**
   * An immutable view for a round worker: the features of rows {@code [0, size)} (the live chunks,
   * shared: those rows never change), copies of status and labels, and the neighbour lists as they
   * are now. Later arrivals, labels and folds do not touch it.
   */
  public PoolView snapshot(float[] classText, int classes, float logitScale) {
    requireNoFold("a snapshot");
    int n = table.size();
    // rows below n never change once placed, and chunks never move: share, do not copy
    return new PoolView(features.view(n), n, dim, classText, classes, logitScale, table.statuses(n), table.labels(n),
        Optional.of(neighbors.copy(n)), Optional.empty());
  }

  /** Row {@code row}'s normalised features (a copy). */
  public float[] features(int row) {
    return features.row(row);
  }

}
