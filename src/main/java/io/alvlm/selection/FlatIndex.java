package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exact inner-product k-nearest-neighbour search over L2-normalised rows, as FAISS's {@code IndexFlatIP}:
 * one query block's products against one block of rows at a time ({@code matMul} on the
 * {@link Compute} device), the best candidates of each block taken on the device ({@code topK}) and
 * merged on the host. Memory: the rows once on the device plus one {@code block × block} product,
 * never {@code N × N}. The device ranking (fp32, or fp16 on a GPU) only proposes {@link #SLACK} extra
 * candidates per row; the final order is by similarity recomputed in double from the host rows, ties
 * to the smaller row, so results do not depend on the device or its summation order. A row is never
 * its own neighbour.
 */
public final class FlatIndex implements AutoCloseable {
  /** Extra device-ranked candidates kept per row before the exact re-rank. */
  static final int SLACK = 8;
  private static final int BLOCK = 4096;

  private final float[] x;
  private final int dim;
  private final int n;
  private final DeviceMatrix rows;

  private FlatIndex(float[] x, int dim, DeviceMatrix rows) {
    this.x = x;
    this.dim = dim;
    this.n = x.length / dim;
    this.rows = rows;
  }

  /** An index over the rows of {@code x} ({@code [rows, dim]}, L2-normalised; kept by reference, not copied). */
  public static FlatIndex of(Compute compute, float[] x, int dim) {
    Objects.requireNonNull(x, "x");
    return new FlatIndex(x, dim, DeviceMatrix.upload(compute, x, dim));
  }

  /** Number of indexed rows. */
  public int size() {
    return n;
  }

  /**
   * The {@code k} nearest other rows of every indexed row. Products are symmetric, so each block pair
   * {@code (I, J ≥ I)} is multiplied once and serves both {@code I}'s and {@code J}'s lists.
   */
  public NeighborTable searchAll(int k) {
    int m = Math.min(k + SLACK, n - 1);
    TopCandidates[] tops = candidates(n, m);
    if (m <= 0) {
      return finish(tops, x, rangeIds(n), k);
    }
    try (NDManager scope = rows.compute.newScope()) {
      for (int i0 = 0; i0 < n; i0 += BLOCK) {
        int i1 = Math.min(n, i0 + BLOCK);
        for (int j0 = i0; j0 < n; j0 += BLOCK) {
          int j1 = Math.min(n, j0 + BLOCK);
          try (NDManager s = scope.newSubManager()) {
            NDArray p = rows.block(s, i0, i1).matMul(rows.block(s, j0, j1).transpose());
            // a diagonal block holds each row's self-match: one more candidate, dropped when merged
            merge(p, 1, Math.min(j1 - j0, m + (i0 == j0 ? 1 : 0)), i0, j0, tops, true);
            if (i0 != j0) {
              merge(p, 0, Math.min(i1 - i0, m), j0, i0, tops, true);
            }
          }
        }
      }
    }
    return finish(tops, x, rangeIds(n), k);
  }

  /**
   * The {@code k} nearest indexed rows of each query ({@code queries} {@code [q, dim]}, L2-normalised);
   * {@code self[i]}, when not -1, is the indexed row that query {@code i} is and must not match.
   * Results are indexed by query.
   */
  public NeighborTable search(float[] queries, int[] self, int k) {
    int q = queries.length / dim;
    int m = Math.min(k + SLACK, n);
    TopCandidates[] tops = candidates(q, m);
    int[] selfRows = self == null ? filled(q, -1) : self;
    try (NDManager scope = rows.compute.newScope()) {
      for (int a0 = 0; a0 < q; a0 += BLOCK) {
        int a1 = Math.min(q, a0 + BLOCK);
        try (NDManager s = scope.newSubManager()) {
          NDArray qb = rows.matrix(s, Arrays.copyOfRange(queries, a0 * dim, a1 * dim), dim);
          for (int j0 = 0; j0 < n; j0 += BLOCK) {
            int j1 = Math.min(n, j0 + BLOCK);
            try (NDManager t = s.newSubManager()) {
              NDArray p = qb.matMul(rows.block(t, j0, j1).transpose());
              p.attach(t);
              mergeExcluding(p, Math.min(j1 - j0, m + 1), a0, j0, tops, selfRows);
            }
          }
        }
      }
    }
    return finish(tops, queries, selfRows, k);
  }

  /**
   * For every indexed row, its {@code k} nearest among the new vectors {@code added} ({@code [b, dim]},
   * L2-normalised) whose row ids are {@code addedIds}; a new vector with the row's own id is skipped.
   * Results are indexed by indexed row and name rows by {@code addedIds}.
   */
  public NeighborTable searchAgainst(float[] added, int[] addedIds, int k) {
    int b = added.length / dim;
    if (addedIds.length != b) {
      throw new IllegalArgumentException(addedIds.length + " ids for " + b + " added vectors");
    }
    int m = Math.min(k + SLACK, b);
    TopCandidates[] tops = candidates(n, m);
    try (NDManager scope = rows.compute.newScope()) {
      for (int b0 = 0; b0 < b; b0 += BLOCK) {
        int b1 = Math.min(b, b0 + BLOCK);
        try (NDManager s = scope.newSubManager()) {
          NDArray nb = rows.matrix(s, Arrays.copyOfRange(added, b0 * dim, b1 * dim), dim);
          for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int i1 = Math.min(n, i0 + BLOCK);
            try (NDManager t = s.newSubManager()) {
              NDArray p = rows.block(t, i0, i1).matMul(nb.transpose());
              int c = Math.min(b1 - b0, m + 1);
              NDList top = p.topK(c, 1, true, false);
              float[] v = DeviceMatrix.floats(top.get(0));
              int[] ix = DeviceMatrix.ints(top.get(1));
              for (int r = 0; r < i1 - i0; r++) {
                int row = i0 + r;
                for (int j = 0; j < c; j++) {
                  int id = addedIds[b0 + ix[r * c + j]];
                  if (id != row) tops[row].offer(b0 + ix[r * c + j], v[r * c + j]);
                }
              }
            }
          }
        }
      }
    }
    // re-rank against the added vectors, then name them by their ids
    NeighborTable local = finish(tops, x, rangeIds(n), k, added);
    int[][] ids = local.ids();
    for (int[] list : ids) {
      for (int j = 0; j < list.length; j++) list[j] = addedIds[list[j]];
    }
    return local;
  }

  /**
   * Runs only the block products {@link #searchAll} multiplies (each pair {@code (I, J ≥ I)} once), with
   * no top-k and nothing brought back: the floor a benchmark compares the search against.
   */
  public static void productFloor(Compute compute, float[] x, int dim) {
    int n = x.length / dim;
    try (DeviceMatrix rows = DeviceMatrix.upload(compute, x, dim); NDManager scope = compute.newScope()) {
      for (int i0 = 0; i0 < n; i0 += BLOCK) {
        for (int j0 = i0; j0 < n; j0 += BLOCK) {
          try (NDManager s = scope.newSubManager()) {
            NDArray p = rows.block(s, i0, Math.min(n, i0 + BLOCK)).matMul(rows.block(s, j0, Math.min(n, j0 + BLOCK)).transpose());
            p.get(new ai.djl.ndarray.index.NDIndex("0, 0")).toFloatArray(); // forces the product on a lazy device
          }
        }
      }
    }
  }

  /** Offers the top {@code c} of each row ({@code axis 1}) or column ({@code axis 0}) of {@code p} to {@code tops}. */
  private void merge(NDArray p, int axis, int c, int queryFrom, int candidateFrom, TopCandidates[] tops, boolean skipSelf) {
    NDList top = p.topK(c, axis, true, false);
    float[] v = DeviceMatrix.floats(axis == 1 ? top.get(0) : top.get(0).transpose());
    int[] ix = DeviceMatrix.ints(axis == 1 ? top.get(1) : top.get(1).transpose());
    int queries = ix.length / c;
    for (int r = 0; r < queries; r++) {
      int row = queryFrom + r;
      TopCandidates t = tops[row];
      for (int j = 0; j < c; j++) {
        int id = candidateFrom + ix[r * c + j];
        if (!(skipSelf && id == row)) t.offer(id, v[r * c + j]);
      }
    }
  }

  private void mergeExcluding(NDArray p, int c, int queryFrom, int candidateFrom, TopCandidates[] tops, int[] self) {
    NDList top = p.topK(c, 1, true, false);
    float[] v = DeviceMatrix.floats(top.get(0));
    int[] ix = DeviceMatrix.ints(top.get(1));
    int queries = ix.length / c;
    for (int r = 0; r < queries; r++) {
      int q = queryFrom + r;
      for (int j = 0; j < c; j++) {
        int id = candidateFrom + ix[r * c + j];
        if (id != self[q]) tops[q].offer(id, v[r * c + j]);
      }
    }
  }

  private NeighborTable finish(TopCandidates[] tops, float[] queries, int[] self, int k) {
    return finish(tops, queries, self, k, x);
  }

  /** Re-ranks each query's candidates (rows of {@code base}) by double-precision similarity and keeps {@code k}. */
  private NeighborTable finish(TopCandidates[] tops, float[] queries, int[] self, int k, float[] base) {
    int q = tops.length;
    int[][] ids = new int[q][];
    float[][] sims = new float[q][];
    RowBlocks.forEach(q, 1024, (from, to) -> {
      TopCandidates exact = new TopCandidates(k);
      double[] scores = new double[Math.max(k, tops.length == 0 ? 0 : 1 + SLACK + k)];
      for (int i = from; i < to; i++) {
        double[] cs = new double[tops[i].size()];
        int[] cand = tops[i].sorted(cs);
        exact.clear();
        for (int id : cand) exact.offer(id, DotProducts.dot(queries, i * dim, base, id * dim, dim));
        int[] out = exact.sorted(scores);
        float[] s = new float[out.length];
        for (int j = 0; j < s.length; j++) s[j] = (float) scores[j];
        ids[i] = out;
        sims[i] = s;
      }
    });
    return new NeighborTable(ids, sims);
  }

  private static TopCandidates[] candidates(int count, int capacity) {
    TopCandidates[] t = new TopCandidates[count];
    for (int i = 0; i < count; i++) t[i] = new TopCandidates(Math.max(0, capacity));
    return t;
  }

  private static int[] rangeIds(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    Arrays.fill(a, v);
    return a;
  }

  @Override
  public void close() {
    rows.close();
  }
}
