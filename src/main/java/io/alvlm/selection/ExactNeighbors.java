package io.alvlm.selection;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact k-nearest-neighbour lists computed from scratch (cec.md §3): for each row of a set of pool
 * rows, the {@code k} other pool rows of largest cosine similarity, most similar first, ties to the
 * smaller row. Candidates are found with float blocked products and re-ranked in double, so that the
 * order does not depend on float summation order. Memory: {@code O(rows · k)} plus one block of products.
 */
public final class ExactNeighbors implements NeighborLists {
  /** Extra float-ranked candidates kept per row before the exact double re-rank. */
  static final int SLACK = 8;
  private static final int QUERY_BLOCK = 64;
  private static final int COLUMN_BLOCK = 1024;

  private final int k;
  private final int[][] neighbors;
  private final float[][] similarities;

  private ExactNeighbors(int k, int[][] neighbors, float[][] similarities) {
    this.k = k;
    this.neighbors = neighbors;
    this.similarities = similarities;
  }

  /**
   * Lists for the rows in {@code poolRows} (indices into {@code features}, {@code [rows, dim]},
   * L2-normalised), among themselves. Rows not in {@code poolRows} get empty lists.
   */
  public static ExactNeighbors compute(float[] features, int dim, int[] poolRows, int k) {
    return compute(features, dim, poolRows, k, 0, poolRows.length);
  }

  /**
   * As {@link #compute(float[], int, int[], int)} but only for the query rows
   * {@code poolRows[queryFrom..queryTo)} (against all pool rows); other rows get empty lists. Used to
   * time or shard the from-scratch computation.
   */
  public static ExactNeighbors compute(float[] features, int dim, int[] poolRows, int k, int queryFrom, int queryTo) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(poolRows, "poolRows");
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    int rows = features.length / dim;
    int n = poolRows.length;
    float[] x = Pool.gather(features, dim, poolRows);
    int[][] nb = new int[rows][];
    float[][] sim = new float[rows][];
    Arrays.fill(nb, new int[0]);
    Arrays.fill(sim, new float[0]);
    int keep = Math.min(k, n - 1);
    if (keep <= 0) {
      return new ExactNeighbors(k, nb, sim);
    }
    int cand = Math.min(keep + SLACK, n - 1);
    RowBlocks.forEach(queryTo - queryFrom, QUERY_BLOCK, (f0, t0) -> {
      int from = f0 + queryFrom, to = t0 + queryFrom;
      float[] buf = new float[(to - from) * COLUMN_BLOCK];
      TopCandidates[] tops = new TopCandidates[to - from];
      for (int q = 0; q < tops.length; q++) tops[q] = new TopCandidates(cand);
      for (int c0 = 0; c0 < n; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(n, c0 + COLUMN_BLOCK);
        int w = c1 - c0;
        DotProducts.floats(x, from, to, x, c0, c1, dim, buf);
        for (int q = from; q < to; q++) {
          TopCandidates t = tops[q - from];
          int o = (q - from) * w;
          double thr = t.threshold();
          for (int c = c0; c < c1; c++) {
            float s = buf[o + c - c0];
            if (s >= thr && c != q) {
              t.offer(c, s);
              thr = t.threshold();
            }
          }
        }
      }
      TopCandidates exact = new TopCandidates(keep);
      double[] scores = new double[cand];
      for (int q = from; q < to; q++) {
        int[] c = tops[q - from].sorted(scores);
        exact.clear();
        for (int id : c) {
          exact.offer(poolRows[id], DotProducts.dot(x, q * dim, x, id * dim, dim));
        }
        int[] ids = exact.sorted(scores);
        float[] s = new float[ids.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) scores[i];
        nb[poolRows[q]] = ids;
        sim[poolRows[q]] = s;
      }
    });
    return new ExactNeighbors(k, nb, sim);
  }

  public int k() {
    return k;
  }

  @Override
  public int[] neighbors(int row) {
    return neighbors[row].clone();
  }

  @Override
  public float[] similarities(int row) {
    return similarities[row].clone();
  }
}
