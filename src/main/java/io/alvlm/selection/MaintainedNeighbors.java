package io.alvlm.selection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The k-nearest-neighbour lists of a growing pool, maintained a micro-batch at a time (cec.md §3).
 * Rows are the pool's row numbers; the features live with the caller (one copy, in
 * {@link FeatureRows}' chunks, L2-normalised) and are only read here. Members are the rows that count as neighbours (the
 * unlabelled pool); a member's list holds the {@code k} other members of largest cosine similarity,
 * most similar first, ties to the smaller row, ranked in double precision exactly as
 * {@link ExactNeighbors} ranks, so maintained and from-scratch lists agree.
 *
 * <p>{@link #fold} takes a batch of newcomers: one blocked product of the batch against every member
 * (rows in contiguous column blocks where they lie, nothing gathered) gives the newcomers' own lists and, read the
 * other way, every list a newcomer enters. {@link #repair} recomputes the lists that held rows which
 * left the members. Work per call is {@code batch × members × dim} multiply-adds, so callers bound a
 * call by its batch. Not thread-safe; {@link #copy} gives a snapshot for another thread.
 */
public final class MaintainedNeighbors implements NeighborLists {
  private static final int COLUMN_BLOCK = 4096;
  /** Fewest rows an exact scan gives one thread: below it a part costs more to start than it saves. */
  private static final int MIN_PART_ROWS = 256;

  private final int k;
  private int[] lists;
  private float[] sims;
  private int[] counts;
  /** Inverted lists the scans probe instead of comparing with every member; null while exact. */
  private CellIndex cells;
  private int nprobe;
  /** Scans of the probed cells, one per part of a scan, with their staging buffers (kept from one scan to the next). */
  private final java.util.List<CellScan> cellScans = new java.util.ArrayList<>();

  /** Empty lists of {@code k} neighbours. */
  public MaintainedNeighbors(int k) {
    if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
    this.k = k;
    this.lists = new int[0];
    this.sims = new float[0];
    this.counts = new int[0];
  }

  private MaintainedNeighbors(int k, int[] lists, float[] sims, int[] counts) {
    this.k = k;
    this.lists = lists;
    this.sims = sims;
    this.counts = counts;
  }

  /**
   * From now on, scans compare a row only with the members filed in its {@code nprobe} nearest cells
   * (every member must be filed in {@code cells} before the next scan).
   */
  public void useCells(CellIndex cells, int nprobe) {
    if (nprobe < 1) throw new IllegalArgumentException("nprobe must be >= 1, got " + nprobe);
    this.cells = cells;
    this.nprobe = nprobe;
  }

  /** Whether scans probe cells (approximate) rather than every member (exact). */
  public boolean approximate() {
    return cells != null;
  }

  /** Multiply-adds one scanned row costs against a pool of {@code rows} rows. */
  public long workPerRow(int rows, int dim) {
    if (cells == null) return (long) rows * dim;
    return ((long) cells.cells() + (long) nprobe * Math.max(1, rows / cells.cells())) * dim;
  }

  public int k() {
    return k;
  }

  /** Rows this table has room for. */
  public int capacity() {
    return counts.length;
  }

  /** Grows the table to hold rows {@code [0, rows)}. */
  public void ensureCapacity(int rows) {
    if (rows <= counts.length) return;
    int cap = Math.max(rows, Math.max(16, counts.length + (counts.length >> 1)));
    lists = Arrays.copyOf(lists, cap * k);
    sims = Arrays.copyOf(sims, cap * k);
    counts = Arrays.copyOf(counts, cap);
  }

  /** A copy that later changes to this table do not touch. */
  public MaintainedNeighbors copy(int rows) {
    int n = Math.min(rows, counts.length);
    return new MaintainedNeighbors(k, Arrays.copyOf(lists, n * k), Arrays.copyOf(sims, n * k), Arrays.copyOf(counts, n));
  }

  @Override
  public int[] neighbors(int row) {
    if (row >= counts.length) return new int[0];
    return Arrays.copyOfRange(lists, row * k, row * k + counts[row]);
  }

  @Override
  public float[] similarities(int row) {
    if (row >= counts.length) return new float[0];
    return Arrays.copyOfRange(sims, row * k, row * k + counts[row]);
  }

  /** Replaces {@code row}'s list (as read back from {@link #encode}). */
  public void set(int row, int[] ids, float[] s) {
    if (ids.length != s.length || ids.length > k) {
      throw new IllegalArgumentException("row " + row + ": " + ids.length + " neighbours and " + s.length
          + " similarities for k=" + k);
    }
    ensureCapacity(row + 1);
    System.arraycopy(ids, 0, lists, row * k, ids.length);
    System.arraycopy(s, 0, sims, row * k, s.length);
    counts[row] = ids.length;
  }

  /** Empties {@code row}'s list (it left the members). */
  public void clear(int row) {
    if (row < counts.length) counts[row] = 0;
  }

  /**
   * {@code row}'s list as bytes: count, then the rows, then the similarities (big-endian), then the
   * row's cell when {@code cell >= 0} (approximate search).
   */
  public byte[] encode(int row, int cell) {
    int c = row < counts.length ? counts[row] : 0;
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * c + (cell >= 0 ? 4 : 0));
    b.putInt(c);
    for (int i = 0; i < c; i++) b.putInt(lists[row * k + i]);
    for (int i = 0; i < c; i++) b.putFloat(sims[row * k + i]);
    if (cell >= 0) b.putInt(cell);
    return b.array();
  }

  /** The cell {@link #encode} stored with a list, -1 when none. */
  public static int cellOf(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int c = b.getInt();
    return bytes.length == 4 + 8 * c + 4 ? b.getInt(4 + 8 * c) : -1;
  }

  /** Reads {@link #encode}'s bytes into {@code row}'s list. */
  public void decode(int row, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int c = b.getInt();
    if (c < 0 || c > k || (bytes.length != 4 + 8 * c && bytes.length != 4 + 8 * c + 4)) {
      throw new IllegalArgumentException("row " + row + ": neighbour list of " + bytes.length + " bytes does not hold "
          + "at most k=" + k + " entries");
    }
    int[] ids = new int[c];
    float[] s = new float[c];
    for (int i = 0; i < c; i++) ids[i] = b.getInt();
    for (int i = 0; i < c; i++) s[i] = b.getFloat();
    set(row, ids, s);
  }

  /**
   * Folds {@code newcomers} (members among rows {@code [0, rows)} of {@code features}) into the
   * lists: each newcomer gets its list among all members, and enters the lists of members it is
   * closer to than their current k-th neighbour. Returns the rows whose list changed.
   */
  public BitSet fold(FeatureRows features, int rows, IntPredicate member, int[] newcomers, BlockProduct products) {
    ensureCapacity(rows);
    BitSet changed = new BitSet(rows);
    if (newcomers.length == 0) return changed;
    BitSet isNew = new BitSet(rows);
    for (int q : newcomers) isNew.set(q);
    scan(features, rows, member, newcomers, products, true, isNew, changed);
    for (int q : newcomers) changed.set(q);
    return changed;
  }

  /**
   * Recomputes the lists of members that held a row of {@code left} (rows that are no longer
   * members, whose own lists are emptied). Returns the rows whose list changed.
   */
  public BitSet repair(FeatureRows features, int rows, IntPredicate member, BitSet left, BlockProduct products) {
    ensureCapacity(rows);
    BitSet changed = new BitSet(rows);
    if (left.isEmpty()) return changed;
    int[] holders = java.util.stream.IntStream.range(0, rows).filter(r -> member.test(r) && holdsAny(r, left)).toArray();
    left.stream().filter(r -> r < rows).forEach(r -> {
      if (counts[r] > 0) changed.set(r);
      clear(r);
    });
    scan(features, rows, member, holders, products, false, new BitSet(), changed);
    for (int h : holders) changed.set(h);
    return changed;
  }

  private boolean holdsAny(int row, BitSet left) {
    for (int i = 0; i < counts[row]; i++) {
      if (left.get(lists[row * k + i])) return true;
    }
    return false;
  }

  /**
   * Rebuilds the lists of {@code queries} against every member (or, with cells, against the members
   * of each query's {@code nprobe} nearest cells); with {@code enter}, also inserts each query into
   * the lists of the (non-query) members it was compared with and now ranks in. The columns split
   * into one part per thread of {@code products} ({@link ScanPart}): ranges of rows, or cells.
   */
  private void scan(FeatureRows features, int rows, IntPredicate member, int[] queries, BlockProduct products,
      boolean enter, BitSet isQuery, BitSet changed) {
    int b = queries.length;
    int dim = features.dim();
    float[] q = features.gather(queries);
    int cand = k + FlatIndex.SLACK;
    PoolThreads threads = products.threads();
    int parts = Math.max(1, Math.min(threads.count(), cells == null ? (rows + MIN_PART_ROWS - 1) / MIN_PART_ROWS : cells.cells()));
    ScanPart[] part = new ScanPart[parts];
    for (int p = 0; p < parts; p++) part[p] = new ScanPart(this, features, member, queries, cand, enter, isQuery);
    if (cells == null) {
      int width = Math.max(256, COLUMN_BLOCK / parts);
      threads.forEach(parts, p -> {
        float[] out = new float[b * width];
        int[] all = java.util.stream.IntStream.range(0, b).toArray();
        int[] cols = new int[width];
        // contiguous column blocks where the rows lie: nothing gathered
        features.forEachBlock((int) ((long) rows * p / parts), (int) ((long) rows * (p + 1) / parts), width,
            (values, at, first, count) -> {
              products.multiply(q, 0, b, values, at, at + count, dim, out);
              for (int j = 0; j < count; j++) cols[j] = first + j;
              part[p].offer(all, b, cols, count, out);
            });
      });
    } else {
      int[][] byCell = CellScan.queriesByCell(cells, nprobe, q, b, products);
      while (cellScans.size() < parts) cellScans.add(new CellScan());
      threads.forEach(parts, p -> cellScans.get(p).scan(cells, byCell, p, parts, features, rows, member, q, products, part[p]));
    }
    for (ScanPart p : part) changed.or(p.changed);
    TopCandidates exact = new TopCandidates(k);
    double[] scores = new double[cand];
    for (int i = 0; i < b; i++) {
      int row = queries[i];
      exact.clear();
      for (int id : ScanPart.merged(part, i, cand).sorted(scores)) {
        exact.offer(id, features.dot(row, id));
      }
      int[] ids = exact.sorted(scores);
      float[] s = new float[ids.length];
      for (int m = 0; m < s.length; m++) s[m] = (float) scores[m];
      set(row, ids, s);
    }
  }

  /** The similarity a row must beat to enter {@code row}'s list; -∞ while it has fewer than k. */
  double threshold(int row) {
    return counts[row] < k ? Double.NEGATIVE_INFINITY : sims[row * k + k - 1];
  }

  /** Puts {@code other} into {@code row}'s sorted list if it ranks within the top k; true when it did. */
  boolean insert(int row, int other, double s) {
    if (k == 0 || row == other) return false;
    int base = row * k;
    int n = counts[row];
    for (int i = 0; i < n; i++) {
      if (lists[base + i] == other) return false;
    }
    int pos = n;
    while (pos > 0 && (sims[base + pos - 1] < s || (sims[base + pos - 1] == (float) s && lists[base + pos - 1] > other))) {
      pos--;
    }
    if (pos >= k) return false;
    int last = Math.min(n, k - 1);
    for (int i = last; i > pos; i--) {
      lists[base + i] = lists[base + i - 1];
      sims[base + i] = sims[base + i - 1];
    }
    lists[base + pos] = other;
    sims[base + pos] = (float) s;
    counts[row] = Math.min(n + 1, k);
    return true;
  }
}
