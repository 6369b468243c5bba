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
}
