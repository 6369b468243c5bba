package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.alvlm.data.SafeTensorShards;
import java.io.IOException;

/**
 * Copies named, shape-checked tensors of a safetensors checkpoint (one file or shards) into one
 * {@link NDManager} as float32, or as the type of {@link #as} (converted on the engine, the float32
 * copy closed). Errors name the file, the tensor and the expected shape.
 */
final class Checkpoint {
  private final SafeTensorShards file;
  private final NDManager manager;
  private final DataType type;

  Checkpoint(SafeTensorShards file, NDManager manager) {
    this(file, manager, DataType.FLOAT32);
  }

  private Checkpoint(SafeTensorShards file, NDManager manager, DataType type) {
    this.file = file;
    this.manager = manager;
    this.type = type;
  }

  /** The same checkpoint, its arrays created as {@code t}. */
  Checkpoint as(DataType t) {
    return new Checkpoint(file, manager, t);
  }

  DataType type() {
    return type;
  }

  SafeTensorShards file() {
    return file;
  }

  /** The tensor {@code name}, which must have exactly {@code shape}. */
  NDArray tensor(String name, long... shape) throws IOException {
    return array(file.floats(name, shape).data(), shape);
  }

  /** An array of the given values on the weight manager. */
  NDArray array(float[] data, long... shape) {
    NDArray a = manager.create(data, new Shape(shape));
    if (type == DataType.FLOAT32) return a;
    NDArray t = a.toType(type, false);
    a.close();
    return t;
  }

  /** The same values as a Java array (for weights used outside the engine). */
  float[] floats(String name, long... shape) throws IOException {
    return file.floats(name, shape).data();
  }

  /**
   * A {@code torch.nn.Linear} weight stored {@code [out, in]}, returned transposed to
   * {@code [in, out]} so a forward pass is one {@code x.matMul(w)} without a transpose per call.
   */
  NDArray linear(String name, long out, long in) throws IOException {
    return array(transpose(file.floats(name, out, in).data(), (int) out, (int) in), in, out);
  }

  /**
   * A stride-{@code p} patch convolution's weight {@code [D, 3, p, p]} as a {@code [3·p·p, D]}
   * matrix, so the convolution over flattened patches is one matMul.
   */
  NDArray patchMatrix(String name, long d, int p) throws IOException {
    float[] conv = floats(name, d, 3, p, p);
    return array(transpose(conv, (int) d, 3 * p * p), 3L * p * p, d);
  }

  /**
   * Tensors of the same trailing shape stacked along their first axis, each multiplied by its
   * factor: q, k and v projections (weights {@code [out, in]} or biases {@code [out]}) as one.
   */
  NDArray rows(String[] names, float[] factors, long... shape) throws IOException {
    long n = 1;
    for (long s : shape) n *= s;
    float[] joined = new float[Math.toIntExact(n * names.length)];
    for (int j = 0; j < names.length; j++) {
      float[] part = file.floats(names[j], shape).data();
      for (int i = 0; i < part.length; i++) joined[(int) (j * n) + i] = part[i] * factors[j];
    }
    long[] stacked = shape.clone();
    stacked[0] *= names.length;
    return array(joined, stacked);
  }

  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }
}
