package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

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

  /** Whether the rows are held in fp16 ({@link FeatureRows#half}). */
  boolean half() {
    return features.half();
  }

  /** The pool row at position {@code i}. */
  private int row(int i) {
    return rows == null ? i : rows[i];
  }

  /** {@code sum[at + d] += w · x_i[d]}, in double. */
  void addScaled(int i, double w, double[] sum, int at) {
    features.addScaled(row(i), w, sum, at);
  }

  /** {@code ‖x_i − c[at, at + dim)‖²}, in double. */
  double squaredDistance(int i, float[] c, int at) {
    return features.squaredDistance(row(i), c, at);
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
   * Positions {@code [from, to)} as a {@code [to - from, dim]} array of {@code m} that aliases
   * {@code staging}'s buffer ({@link DirectStaging}): fp16 bit patterns as they are held for fp16 rows
   * (the engine converts), fp32 values otherwise.
   */
  NDArray stage(NDManager m, int from, int to, DirectStaging staging) {
    int dim = dim();
    int len = (to - from) * dim;
    Shape shape = new Shape(to - from, dim);
    if (half()) {
      ByteBuffer b = staging.buffer(2L * len);
      ShortBuffer v = b.asShortBuffer();
      for (int i = from; i < to; i++) features.copyHalfRow(row(i), v, (i - from) * dim);
      return m.create(b.limit(2 * len), shape, DataType.FLOAT16);
    }
    ByteBuffer b = staging.buffer(4L * len);
    FloatBuffer v = b.asFloatBuffer();
    for (int i = from; i < to; i++) copyRow(i, v, (i - from) * dim);
    return m.create(b.limit(4 * len), shape, DataType.FLOAT32);
  }

  private void copyRow(int i, FloatBuffer dst, int at) {
    features.copyRow(row(i), dst, at);
  }

  /** {@code ‖x_i‖²} of every position, in double. */
  double[] squaredNorms() {
    double[] norms = new double[count];
    RowBlocks.forEach(count, 4096, (from, to) -> {
      for (int i = from; i < to; i++) norms[i] = features.dot(row(i), row(i));
    });
    return norms;
  }
}
