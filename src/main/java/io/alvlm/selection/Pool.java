package io.alvlm.selection;

/** Row bookkeeping shared by strategies: which rows form the unlabelled pool, which are eligible. */
final class Pool {
  private Pool() {}

  /** Rows that are UNLABELED or PENDING, ascending. */
  static int[] unlabelledRows(PoolView pool) {
    return java.util.stream.IntStream.range(0, pool.rows()).filter(pool::unlabelledPool).toArray();
  }

  /** Rows that are UNLABELED, ascending. */
  static int[] eligibleRows(PoolView pool) {
    return java.util.stream.IntStream.range(0, pool.rows()).filter(pool::eligible).toArray();
  }

  /** The given rows of {@code features} ({@code [*, dim]}) packed into a new contiguous matrix. */
  static float[] gather(float[] features, int dim, int[] rows) {
    if (rows.length * dim == features.length && isIdentity(rows)) {
      return features;
    }
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(features, rows[i] * dim, out, i * dim, dim);
    }
    return out;
  }

  private static boolean isIdentity(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) return false;
    }
    return true;
  }
}
