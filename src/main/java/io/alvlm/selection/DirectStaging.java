package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direct buffer per thread, reused to hand host values to the engine. An array created from a
 * Java array or heap buffer gets a new direct buffer from DJL, which the engine's array then reads in
 * place; closing the array does not free it, only a garbage collection that finds it does. A round
 * at a million images created gigabytes of them (its k-means sample uploaded 8,192 rows at a time,
 * the scores' blocks), held as resident memory until the heap next filled. An array created here
 * aliases this thread's buffer instead: it must be consumed (a product copied out, a {@code set} into
 * another array, a {@code duplicate}) before this thread stages anything else.
 */
final class DirectStaging {
  /** Buffers up to this size are kept for the next call; a larger request gets a buffer of its own. */
  private static final int KEEP_BYTES = 32 << 20;
  private static final ThreadLocal<DirectStaging> PER_THREAD = ThreadLocal.withInitial(DirectStaging::new);

  private ByteBuffer buffer;

  private DirectStaging() {}

  static DirectStaging ofThisThread() {
    return PER_THREAD.get();
  }

  /** {@code values[from, from + shape.size())} as an fp32 array of {@code m} that aliases this thread's buffer. */
  NDArray floats(NDManager m, float[] values, int from, Shape shape) {
    int n = Math.toIntExact(shape.size());
    ByteBuffer b = buffer(4L * n);
    b.asFloatBuffer().put(0, values, from, n);
    return m.create(b.limit(4 * n), shape, DataType.FLOAT32);
  }

  /** {@code values} as an int32 array of {@code m} that aliases this thread's buffer. */
  NDArray ints(NDManager m, int[] values) {
    ByteBuffer b = buffer(4L * values.length);
    b.asIntBuffer().put(0, values);
    return m.create(b.limit(4 * values.length), new Shape(values.length), DataType.INT32);
  }

  /** A direct native-order buffer of at least {@code bytes}, position 0: this thread's, or a new one past {@link #KEEP_BYTES}. */
  ByteBuffer buffer(long bytes) {
    int size = Math.toIntExact(bytes);
    if (size > KEEP_BYTES) return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    if (buffer == null || buffer.capacity() < size) {
      buffer = ByteBuffer.allocateDirect(Math.min(KEEP_BYTES, Math.max(size, buffer == null ? 0 : buffer.capacity() * 2)))
          .order(ByteOrder.nativeOrder());
    }
    return buffer.clear();
  }
}
