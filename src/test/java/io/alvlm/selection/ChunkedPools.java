package io.alvlm.selection;

import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/** Test pools held as a live pool holds them: in fixed chunks of rows, with labelled and pending rows among them. */
final class ChunkedPools {
  private ChunkedPools() {}

  /**
   * {@code rows} normalised rows of {@code dim} around {@code classes} class directions, in chunks of
   * {@code chunkRows}. Row 3 is LABELED, then the first half runs unbroken (runs of rows that a
   * block reads in place, some across a chunk's end); in the second half every 7th row is LABELED and
   * every 11th other one PENDING.
   */
  static PoolView pool(int rows, int dim, int classes, int chunkRows, long seed) {
    Random r = new Random(seed);
    float[] text = new float[classes * dim];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    text = Vectors.normalizedRows(text, dim);
    float[] f = new float[rows * dim];
    for (int i = 0; i < rows; i++) {
      int c = r.nextInt(classes);
      for (int d = 0; d < dim; d++) f[i * dim + d] = (float) (0.5 * text[c * dim + d] + 0.3 * r.nextGaussian() / Math.sqrt(dim));
    }
    f = Vectors.normalizedRows(f, dim);
    FeatureRows features = FeatureRows.growing(dim, chunkRows);
    for (int i = 0; i < rows; i++) features.set(i, f, i * dim);
    PoolStatus[] status = new PoolStatus[rows];
    int[] labels = new int[rows];
    Arrays.fill(status, PoolStatus.UNLABELED);
    Arrays.fill(labels, -1);
    for (int i = 0; i < rows; i++) {
      if (i == 3 || (i >= rows / 2 && i % 7 == 3)) {
        status[i] = PoolStatus.LABELED;
        labels[i] = i % classes;
      } else if (i >= rows / 2 && i % 11 == 5) {
        status[i] = PoolStatus.PENDING;
      }
    }
    return new PoolView(features, rows, dim, text, classes, 100f, status, labels, Optional.empty(), Optional.empty());
  }

  /** {@code pool} with its rows held in fp16 ({@link FeatureRows#toHalf}), as a large live pool holds them. */
  static PoolView half(PoolView pool) {
    return new PoolView(pool.features().toHalf(), pool.rows(), pool.dim(), pool.classText(), pool.classes(), pool.logitScale(),
        pool.status(), pool.labels(), pool.neighbors(), pool.probabilities());
  }
}
