package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Rows of a float matrix ({@code [rows, dim]}) held once on a {@link Compute} device, in its precision,
 * in memory the engine owns. Uploaded a chunk at a time so the transfer needs no second full copy.
 * Blocks are views taken into a caller's scope, so that products on them land in that scope.
 */
final class DeviceMatrix implements AutoCloseable {
  private static final int UPLOAD_ROWS = 8192;

  final Compute compute;
  final int rows;
  final int dim;
  private final NDManager scope;
  private final NDArray data;

  private DeviceMatrix(Compute compute, NDManager scope, NDArray data, int rows, int dim) {
    this.compute = compute;
    this.scope = scope;
    this.data = data;
    this.rows = rows;
    this.dim = dim;
  }

  /** Uploads rows {@code [0, x.length / dim)} of {@code x}. */
  static DeviceMatrix upload(Compute compute, float[] x, int dim) {
    return upload(compute, RowSubset.of(x, dim));
  }

  /** The rows of {@code x} on the device, {@link #UPLOAD_ROWS} rows at a time (read where they lie, never gathered whole). */
  static DeviceMatrix upload(Compute compute, RowSubset x) {
    int rows = x.rows();
    int dim = x.dim();
    float[][] scratch = new float[1][];
    NDManager scope = compute.newScope();
    try {
      NDArray data = scope.zeros(new Shape(rows, dim), compute.type());
      for (int from = 0; from < rows; from += UPLOAD_ROWS) {
        int to = Math.min(rows, from + UPLOAD_ROWS);
        try (NDManager chunk = scope.newSubManager()) {
          NDArray part = chunk.create(x.block(from, to, scratch), new Shape(to - from, dim));
          // set copies into data's own storage, so nothing keeps pointing at the Java buffer behind part
          data.set(new NDIndex("{}:{}", from, to), part.toType(compute.type(), false));
        }
      }
      return new DeviceMatrix(compute, scope, data, rows, dim);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** Rows {@code [from, to)} as a view attached to {@code m}. */
  NDArray block(NDManager m, int from, int to) {
    return data.get(m, new NDIndex("{}:{}", from, to));
  }

  /** Rows {@code ids} gathered into a new array of {@code m}. */
  NDArray gather(NDManager m, int[] ids) {
    NDArray idx = owned(m, ids);
    return data.get(m, new NDIndex("{}", idx));
  }

  /** {@code values} as an engine-owned {@code [values.length]} array of {@code m} in the device precision. */
  NDArray vector(NDManager m, float[] values) {
    return owned(m, values, new Shape(values.length)).toType(compute.type(), false);
  }

  /** {@code values} ({@code [rows, cols]}) as an engine-owned array of {@code m} in the device precision. */
  NDArray matrix(NDManager m, float[] values, int cols) {
    return owned(m, values, new Shape(values.length / cols, cols)).toType(compute.type(), false);
  }

  /** An fp32 array in engine-owned memory: the Java-backed original is closed at once, so no result can alias it. */
  static NDArray owned(NDManager m, float[] values, Shape shape) {
    try (NDManager t = m.newSubManager()) {
      NDArray tmp = t.create(values, shape);
      NDArray copy = tmp.duplicate();
      copy.attach(m);
      return copy;
    }
  }

  /** int64 indices in engine-owned memory. */
  static NDArray owned(NDManager m, int[] ids) {
    try (NDManager t = m.newSubManager()) {
      NDArray copy = t.create(ids).toType(DataType.INT64, true);
      copy.attach(m);
      return copy;
    }
  }

  /** {@code a} on the host as fp32 values. */
  static float[] floats(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
  }

  /** {@code a} (an index array) on the host as ints. */
  static int[] ints(NDArray a) {
    long[] l = a.toType(DataType.INT64, false).toLongArray();
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
    return out;
  }

  @Override
  public void close() {
    scope.close();
  }
}
