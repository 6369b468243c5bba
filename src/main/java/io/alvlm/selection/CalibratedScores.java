package io.alvlm.selection;

/**
 * The per-row scores of cec.md §1–2 over the unlabelled rows of a pool, computed a block of rows at a
 * time from the features where they lie (or the pool's maintained {@link ClassProbabilities}), so a
 * round never holds {@code [rows, classes]} probabilities or a copy of the features: a first pass
 * takes each row's entropy and keeps the top N of every class for the prior ({@link ClassPrior.Running}),
 * a second recomputes each block's probabilities (rows × classes × dim, cheap beside the clustering)
 * for the calibrated entropy. The values are bit for bit those of one pass over all rows at once.
 *
 * @param entropy uncalibrated entropy in nats, one per row given
 * @param calibrated calibrated entropy in nats, one per row given
 * @param prior the class prior, one per class
 */
record CalibratedScores(double[] entropy, double[] calibrated, double[] prior) {
  /** Rows per block: 16,384 (13 MB of probabilities at 100 classes). */
  static final int BLOCK_ROWS = 1 << 14;

  /** Scores of {@code rows} (ascending pool rows) of {@code pool}, the prior from their top {@code topN} per class. */
  static CalibratedScores of(PoolView pool, int[] rows, int topN) {
    return of(pool, rows, topN, BLOCK_ROWS);
  }

  static CalibratedScores of(PoolView pool, int[] rows, int topN, int blockRows) {
    int n = rows.length, classes = pool.classes();
    double[] p = new double[Math.min(n, blockRows) * classes];
    double[] entropy = new double[n];
    ClassPrior.Running top = new ClassPrior.Running(classes, topN);
    for (int from = 0; from < n; from += blockRows) {
      int to = Math.min(n, from + blockRows), start = from;
      ZeroShotProbabilities.forRows(pool, rows, from, to, p);
      RowBlocks.forEach(to - from, 1024, (a, b) -> {
        for (int i = a; i < b; i++) entropy[start + i] = ZeroShotProbabilities.entropy(p, i * classes, classes);
      });
      top.offer(p, to - from);
    }
    double[] prior = top.prior();
    double[] calibrated = new double[n];
    for (int from = 0; from < n; from += blockRows) {
      int to = Math.min(n, from + blockRows), start = from;
      ZeroShotProbabilities.forRows(pool, rows, from, to, p);
      RowBlocks.forEach(to - from, 1024, (a, b) -> {
        double[] q = new double[classes];
        for (int i = a; i < b; i++) calibrated[start + i] = CalibratedEntropy.ofRow(p, i * classes, prior, q);
      });
    }
    return new CalibratedScores(entropy, calibrated, prior);
  }
}
