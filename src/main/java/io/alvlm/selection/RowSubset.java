package io.alvlm.selection;

import java.nio.FloatBuffer;

/**
 * Some rows of a pool's {@link FeatureRows}, numbered {@code 0..rows()-1} in the order given, read
 * where they lie: what k-means trains on without a gathered copy of them (at a million images a
 * round's training sample is 256,000 rows, 0.5 GiB, that the host would otherwise hold twice, once
 * in the pool and once gathered, besides the device's copy).
 */
final class RowSubset {
  private final FeatureRows features;
  /** Pool row of each position; null: position {@code i} is pool row {@code i}. */
  private final int[] rows;
  private final int count;

  private RowSubset(FeatureRows features, int[] rows, int count) {
    this.features = features;
    this.rows = rows;
    this.count = count;
  }

  /** Every row of {@code features}. */
  static RowSubset all(FeatureRows features) {
    return new RowSubset(features, null, features.rows());
  }

  /** The rows of {@code x} ({@code [rows, dim]}), wrapped without a copy. */
  static RowSubset of(float[] x, int dim) {
    return all(FeatureRows.of(x, dim));
  }

  /** Rows {@code rows} of {@code features}, in that order (not copied: the array must not change). */
  static RowSubset of(FeatureRows features, int[] rows) {
    return new RowSubset(features, rows, rows.length);
  }

  int rows() {
    return count;
  }

  int dim() {
    return features.dim();
  }

  /** The pool row at position {@code i}. */
  private int row(int i) {
    return rows == null ? i : rows[i];
  }

  /** The array holding position {@code i}; its values start at {@link #offset}. */
  float[] chunk(int i) {
    return features.chunk(row(i));
  }

  int offset(int i) {
    return features.offset(row(i));
  }

  /** Copies position {@code i} into {@code dst} at {@code at}. */
  void copyRow(int i, float[] dst, int at) {
    features.copyRow(row(i), dst, at);
  }

  /** Positions {@code positions} packed into a {@code [positions.length, dim]} matrix ({@link FeatureRows#gather}: read only). */
  float[] gather(int[] positions) {
    if (rows == null) return features.gather(positions);
    int[] poolRows = new int[positions.length];
    for (int i = 0; i < positions.length; i++) poolRows[i] = rows[positions[i]];
    return features.gather(poolRows);
  }

  /**
   * Positions {@code [from, to)} as one contiguous {@code [to - from, dim]} buffer: in place when they
   * are consecutive rows of one chunk, else packed into {@code scratch} (grown when too small, and
   * returned through the buffer's array).
   */
  FloatBuffer block(int from, int to, float[][] scratch) {
    int dim = dim();
    int len = (to - from) * dim;
    if (rows == null && to > from && features.chunk(from) == features.chunk(to - 1)) {
      return FloatBuffer.wrap(features.chunk(from), features.offset(from), len).slice();
    }
    if (scratch[0] == null || scratch[0].length < len) scratch[0] = new float[len];
    for (int i = from; i < to; i++) copyRow(i, scratch[0], (i - from) * dim);
    return FloatBuffer.wrap(scratch[0], 0, len).slice();
  }

  /** {@code ‖x_i‖²} of every position, in double. */
  double[] squaredNorms() {
    int dim = dim();
    double[] norms = new double[count];
    RowBlocks.forEach(count, 4096, (from, to) -> {
      for (int i = from; i < to; i++) {
        float[] c = chunk(i);
        int o = offset(i);
        norms[i] = DotProducts.dot(c, o, c, o, dim);
      }
    });
    return norms;
  }
}
