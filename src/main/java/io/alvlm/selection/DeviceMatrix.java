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
 * Blocks are views taken into a caller's scope, so that products on them land in that scope. Rows that
 * a pool holds in fp16 ({@link FeatureRows#half}) are held in fp16 here too, which loses nothing (every
 * value is a half), and their blocks come in the device precision: half the memory for a round's
 * k-means sample, one conversion per block read.
 */
final class DeviceMatrix implements AutoCloseable {
  private static final int UPLOAD_ROWS = 8192;

  final Compute compute;
  final int rows;
  final int dim;
  private final NDManager scope;
  private final NDArray data;
  /** Whether {@link #data} is fp16 held for a device that computes in another type (blocks are converted). */
  private final boolean converts;
  /** The host rows a {@link #staged} matrix reads a block at a time; null when {@link #data} holds them. */
  private final RowSubset host;

  private DeviceMatrix(Compute compute, NDManager scope, NDArray data, int rows, int dim) {
    this.compute = compute;
    this.scope = scope;
    this.data = data;
    this.converts = data.getDataType() != compute.type();
    this.host = null;
    this.rows = rows;
    this.dim = dim;
  }

  private DeviceMatrix(Compute compute, RowSubset host) {
    this.compute = compute;
    this.scope = null;
    this.data = null;
    this.converts = host.half();
    this.host = host;
    this.rows = host.rows();
    this.dim = host.dim();
  }

  /**
   * The rows of {@code x} left where they lie on the host: each {@link #block} is staged when asked for
   * (through this thread's {@link DirectStaging}: consume it before asking for the next). For a CPU
   * engine, whose "device" memory is the host's own, an uploaded copy would hold the rows a second
   * time (a round's k-means sample: 0.25 GiB at a million images) to save one copy per block read.
   */
  static DeviceMatrix staged(Compute compute, RowSubset x) {
    return new DeviceMatrix(compute, x);
  }

  /** Uploads rows {@code [0, x.length / dim)} of {@code x}. */
  static DeviceMatrix upload(Compute compute, float[] x, int dim) {
    return upload(compute, RowSubset.of(x, dim));
  }

  /** The rows of {@code x} on the device, {@link #UPLOAD_ROWS} rows at a time (read where they lie, never gathered whole). */
  static DeviceMatrix upload(Compute compute, RowSubset x) {
    int rows = x.rows();
    int dim = x.dim();
    DirectStaging staging = DirectStaging.ofThisThread();
    NDManager scope = compute.newScope();
    try {
      DataType held = x.half() ? DataType.FLOAT16 : compute.type();
      NDArray data = scope.zeros(new Shape(rows, dim), held);
      for (int from = 0; from < rows; from += UPLOAD_ROWS) {
        int to = Math.min(rows, from + UPLOAD_ROWS);
        try (NDManager chunk = scope.newSubManager()) {
          NDArray part = x.stage(chunk, from, to, staging);
          // set copies into data's own storage, so nothing keeps pointing at the Java buffer behind part
          data.set(new NDIndex("{}:{}", from, to), part.toType(held, false));
        }
      }
      return new DeviceMatrix(compute, scope, data, rows, dim);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** Bytes the rows take on the device. */
  long bytes() {
    return data == null ? 0 : (long) rows * dim * data.getDataType().getNumOfBytes();
  }

  /** Rows {@code [from, to)} in the device precision, attached to {@code m}: a view, or its converted copy for fp16 rows. */
  NDArray block(NDManager m, int from, int to) {
    if (host != null) return inComputeType(host.stage(m, from, to, DirectStaging.ofThisThread()));
    return inComputeType(data.get(m, new NDIndex("{}:{}", from, to)));
  }

  /** Rows {@code ids} gathered into a new array of {@code m}, in the device precision. */
  NDArray gather(NDManager m, int[] ids) {
    if (host != null) return owned(m, host.gather(ids), new Shape(ids.length, dim)).toType(compute.type(), false);
    NDArray idx = owned(m, ids);
    return inComputeType(data.get(m, new NDIndex("{}", idx)));
  }

  /** What {@link #nearest} hands over for each block of rows {@code [from, from + label.length)}. */
  interface NearestBlock {
    void accept(int from, int[] label, double[] squaredDistance);
  }

  /**
   * Each row's nearest of {@code centres} ({@code [clusters, dim]}; ties to the smaller) and its
   * squared distance ({@code rowNorms}: the rows' squared norms), by products of {@code blockRows}
   * rows at a time against all centres, handed to {@code sink} a block at a time, in order.
   */
  void nearest(float[] centres, double[] rowNorms, int blockRows, NearestBlock sink) {
    int clusters = centres.length / dim;
    float[] half = new float[clusters];
    for (int j = 0; j < clusters; j++) half[j] = (float) (0.5 * DotProducts.dot(centres, j * dim, centres, j * dim, dim));
    try (NDManager scope = compute.newScope()) {
      NDArray ct = matrix(scope, centres, dim).transpose();
      // argmin of ‖c‖²/2 − x·c: the row's own norm does not change the argmin
      NDArray h = vector(scope, half);
      for (int from = 0; from < rows; from += blockRows) {
        int to = Math.min(rows, from + blockRows);
        try (NDManager s = scope.newSubManager()) {
          NDArray score = h.sub(block(s, from, to).matMul(ct));
          score.attach(s);
          int[] l = ints(score.argMin(1));
          float[] v = floats(score.min(new int[] {1}));
          double[] d = new double[to - from];
          for (int i = from; i < to; i++) d[i - from] = Math.max(0, rowNorms[i] + 2.0 * v[i - from]);
          sink.accept(from, l, d);
        }
      }
    }
  }

  private NDArray inComputeType(NDArray a) {
    return converts ? a.toType(compute.type(), false) : a;
  }

  /** {@code values} as an engine-owned {@code [values.length]} array of {@code m} in the device precision. */
  NDArray vector(NDManager m, float[] values) {
    return owned(m, values, new Shape(values.length)).toType(compute.type(), false);
  }

  /** {@code values} ({@code [rows, cols]}) as an engine-owned array of {@code m} in the device precision. */
  NDArray matrix(NDManager m, float[] values, int cols) {
    return owned(m, values, new Shape(values.length / cols, cols)).toType(compute.type(), false);
  }

  /** An fp32 array in engine-owned memory: the staged original is closed at once, so no result can alias it. */
  static NDArray owned(NDManager m, float[] values, Shape shape) {
    try (NDManager t = m.newSubManager()) {
      NDArray tmp = DirectStaging.ofThisThread().floats(t, values, 0, shape);
      NDArray copy = tmp.duplicate();
      copy.attach(m);
      return copy;
    }
  }

  /** int64 indices in engine-owned memory. */
  static NDArray owned(NDManager m, int[] ids) {
    try (NDManager t = m.newSubManager()) {
      NDArray copy = DirectStaging.ofThisThread().ints(t, ids).toType(DataType.INT64, true);
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
    if (scope != null) scope.close();
  }
}
