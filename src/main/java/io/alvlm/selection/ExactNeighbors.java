package io.alvlm.selection;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact k-nearest-neighbour lists computed from scratch (cec.md §3) for a set of pool rows, among
 * themselves: the {@code k} other pool rows of largest cosine similarity, most similar first, ties to
 * the smaller row, as {@link MaintainedNeighbors} ranks. The search is {@link FlatIndex}'s (blocked
 * device products and top-k); this class maps pool positions back to row ids.
 */
public final class ExactNeighbors {
  private ExactNeighbors() {}

  /**
   * Lists for the rows in {@code poolRows} (ascending indices into {@code features}, {@code [rows, dim]},
   * L2-normalised), indexed by row; rows not in {@code poolRows} get empty lists. Runs on
   * {@link Compute.Settings#defaults()}.
   */
  public static NeighborTable compute(float[] features, int dim, int[] poolRows, int k) {
    Objects.requireNonNull(features, "features");
    return compute(Compute.of(Compute.Settings.defaults()), FeatureRows.of(features, dim), features.length / dim, poolRows, k);
  }

  /** As above for a pool of {@code rows} rows held in {@code features}, searched on {@code compute}. */
  static NeighborTable compute(Compute compute, FeatureRows features, int rows, int[] poolRows, int k) {
    Objects.requireNonNull(poolRows, "poolRows");
    float[] x = features.gather(poolRows);
    try (FlatIndex index = FlatIndex.of(compute, x, features.dim())) {
      return byRow(index.searchAll(checkedK(k)), poolRows, rows);
    }
  }

  static int checkedK(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    return k;
  }

  /** Lists over pool positions ({@code local}) re-indexed by row id, for a pool of {@code rows} rows. */
  static NeighborTable byRow(NeighborTable local, int[] poolRows, int rows) {
    int[][] ids = new int[rows][];
    float[][] sims = new float[rows][];
    Arrays.fill(ids, new int[0]);
    Arrays.fill(sims, new float[0]);
    for (int i = 0; i < poolRows.length; i++) {
      int[] nb = local.ids()[i];
      int[] mapped = new int[nb.length];
      for (int j = 0; j < nb.length; j++) mapped[j] = poolRows[nb[j]];
      ids[poolRows[i]] = mapped;
      sims[poolRows[i]] = local.sims()[i];
    }
    return new NeighborTable(ids, sims);
  }
}
