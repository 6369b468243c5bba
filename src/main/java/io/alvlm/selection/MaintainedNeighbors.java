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
  /** Float products err by about {@code dim · 2⁻²⁴}; candidates within this much of a threshold are re-ranked in double. */
  private static final double FLOAT_SLACK = 1e-4;
  private static final int COLUMN_BLOCK = 4096;

  private final int k;
  private int[] lists;
  private float[] sims;
  private int[] counts;
  /** Inverted lists the scans probe instead of comparing with every member; null while exact. */
  private CellIndex cells;
  private int nprobe;
  /** Scans of the probed cells, with their staging buffers (kept from one scan to the next). */
  private final CellScan cellScan = new CellScan();

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
   * the lists of the (non-query) members it was compared with and now ranks in.
   */
  private void scan(FeatureRows features, int rows, IntPredicate member, int[] queries, BlockProduct products,
      boolean enter, BitSet isQuery, BitSet changed) {
    int b = queries.length;
    int dim = features.dim();
    float[] q = features.gather(queries);
    int cand = k + FlatIndex.SLACK;
    TopCandidates[] tops = new TopCandidates[b];
    for (int i = 0; i < b; i++) tops[i] = new TopCandidates(cand);
    Block block = new Block(features, member, queries, tops, enter, isQuery, changed);
    if (cells == null) {
      float[] out = new float[b * COLUMN_BLOCK];
      int[] all = java.util.stream.IntStream.range(0, b).toArray();
      int[] cols = new int[COLUMN_BLOCK];
      // contiguous column blocks where the rows lie: nothing gathered
      features.forEachBlock(0, rows, COLUMN_BLOCK, (values, at, first, count) -> {
        products.multiply(q, 0, b, values, at, at + count, dim, out);
        for (int j = 0; j < count; j++) cols[j] = first + j;
        block.offer(all, b, cols, count, out);
      });
    } else {
      cellScan.scan(cells, nprobe, features, rows, member, q, products, block);
    }
    TopCandidates exact = new TopCandidates(k);
    double[] scores = new double[cand];
    for (int i = 0; i < b; i++) {
      int row = queries[i];
      exact.clear();
      for (int id : tops[i].sorted(scores)) {
        exact.offer(id, features.dot(row, id));
      }
      int[] ids = exact.sorted(scores);
      float[] s = new float[ids.length];
      for (int m = 0; m < s.length; m++) s[m] = (float) scores[m];
      set(row, ids, s);
    }
  }

  /** What one scan accumulates: each query's candidates, and the lists the queries enter. */
  private final class Block implements CellScan.Sink {
    private final FeatureRows features;
    private final IntPredicate member;
    private final int[] queries;
    private final TopCandidates[] tops;
    private final boolean enter;
    private final BitSet isQuery;
    private final BitSet changed;
    /** Per column of the current product: a member, and the similarity a query needs to enter its list. */
    private boolean[] columnIsMember = new boolean[0];
    private double[] enterAt = new double[0];

    Block(FeatureRows features, IntPredicate member, int[] queries, TopCandidates[] tops, boolean enter,
        BitSet isQuery, BitSet changed) {
      this.features = features;
      this.member = member;
      this.queries = queries;
      this.tops = tops;
      this.enter = enter;
      this.isQuery = isQuery;
      this.changed = changed;
    }

    /**
     * Takes the products {@code out} ({@code [qn, w]}, row-major) of queries {@code qi[0..qn)}
     * (indices into {@code queries}) against rows {@code cols[0..w)}.
     */
    @Override
    public void offer(int[] qi, int qn, int[] cols, int w, float[] out) {
      // per column, once: whether it is a member, and the similarity a query needs to enter its list
      if (columnIsMember.length < w) {
        columnIsMember = new boolean[w];
        enterAt = new double[w];
      }
      boolean[] ok = columnIsMember;
      for (int jj = 0; jj < w; jj++) {
        int j = cols[jj];
        ok[jj] = member.test(j);
        enterAt[jj] = ok[jj] && enter && !isQuery.get(j) ? threshold(j) - FLOAT_SLACK : Double.POSITIVE_INFINITY;
      }
      // then the products row by row, as they lie: a query's threshold stays in a register
      for (int t = 0; t < qn; t++) {
        int i = qi[t];
        int q = queries[i];
        TopCandidates top = tops[i];
        double need = top.threshold() - FLOAT_SLACK;
        int base = t * w;
        for (int jj = 0; jj < w; jj++) {
          float s = out[base + jj];
          if (s >= need && ok[jj] && cols[jj] != q) {
            top.offer(cols[jj], s);
            need = top.threshold() - FLOAT_SLACK;
          }
          if (s >= enterAt[jj]) {
            int j = cols[jj];
            if (insert(j, q, features.dot(j, q))) {
              changed.set(j);
              enterAt[jj] = threshold(j) - FLOAT_SLACK;
            }
          }
        }
      }
    }
  }

  /** The similarity a row must beat to enter {@code row}'s list; -∞ while it has fewer than k. */
  private double threshold(int row) {
    return counts[row] < k ? Double.NEGATIVE_INFINITY : sims[row * k + k - 1];
  }

  /** Puts {@code other} into {@code row}'s sorted list if it ranks within the top k; true when it did. */
  private boolean insert(int row, int other, double s) {
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
