package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.alvlm.data.SafeTensorShards;
import java.io.IOException;

/**
 * Copies named, shape-checked tensors of a safetensors checkpoint (one file or shards) into one
 * {@link NDManager} as float32. Errors name the file, the tensor and the expected shape.
 */
final class Checkpoint {
  private final SafeTensorShards file;
  private final NDManager manager;

  Checkpoint(SafeTensorShards file, NDManager manager) {
    this.file = file;
    this.manager = manager;
  }

  SafeTensorShards file() {
    return file;
  }

  /** The tensor {@code name}, which must have exactly {@code shape}. */
  NDArray tensor(String name, long... shape) throws IOException {
    return manager.create(file.floats(name, shape).data(), new Shape(shape));
  }

  /** An array of the given values on the weight manager. */
  NDArray array(float[] data, long... shape) {
    return manager.create(data, new Shape(shape));
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
    return manager.create(transpose(file.floats(name, out, in).data(), (int) out, (int) in), new Shape(in, out));
  }

  /** Several linear weights of the same input width side by side: {@code [in, sum(out)]}. */
  NDArray linears(long in, String[] names, long out) throws IOException {
    int k = names.length;
    float[] joined = new float[(int) (in * out * k)];
    for (int j = 0; j < k; j++) {
      float[] t = transpose(file.floats(names[j], out, in).data(), (int) out, (int) in);
      for (int r = 0; r < in; r++) {
        System.arraycopy(t, (int) (r * out), joined, (int) (r * out * k + j * out), (int) out);
      }
    }
    return manager.create(joined, new Shape(in, out * k));
  }

  /** Several vectors concatenated (biases matching {@link #linears}). */
  NDArray vectors(String[] names, long n) throws IOException {
    float[] joined = new float[(int) (n * names.length)];
    for (int j = 0; j < names.length; j++) {
      System.arraycopy(file.floats(names[j], n).data(), 0, joined, (int) (j * n), (int) n);
    }
    return manager.create(joined, new Shape(n * names.length));
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
