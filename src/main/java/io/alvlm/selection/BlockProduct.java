package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One dense block product of host rows on a {@link Compute} device:
 * {@code out = a[aFrom..aTo) · b[bFrom..bTo)ᵀ} for row-major {@code [*, dim]} float matrices, written
 * row-major with width {@code bTo - bFrom}. For rows that live on the host and change between calls
 * (a growing pool); rows that stay put belong in a {@link DeviceMatrix} instead. Both blocks are
 * copied in and the product copied out inside one scope, so nothing outlives the call.
 */
public final class BlockProduct {
  private final java.util.function.Supplier<Compute> resolve;
  private final PoolThreads threads;
  private volatile Compute compute;

  /** Products on {@code compute}, scans that use them in one part ({@link #threads}). */
  public BlockProduct(Compute compute) {
    this(compute, PoolThreads.of(1));
  }

  /** Products on {@code compute}; scans that use them split into {@code threads} parts. */
  public BlockProduct(Compute compute, PoolThreads threads) {
    java.util.Objects.requireNonNull(compute, "compute");
    this.resolve = () -> compute;
    this.threads = java.util.Objects.requireNonNull(threads, "threads");
  }

  private BlockProduct(java.util.function.Supplier<Compute> resolve, PoolThreads threads) {
    this.resolve = resolve;
    this.threads = java.util.Objects.requireNonNull(threads, "threads");
  }

  /**
   * Products on the device {@code resolve} gives, resolved at the first product: the engine loads on
   * the thread that first multiplies (a worker), not on the thread that built this; scans split over
   * {@code threads}.
   */
  public static BlockProduct lazily(java.util.function.Supplier<Compute> resolve, PoolThreads threads) {
    return new BlockProduct(java.util.Objects.requireNonNull(resolve, "resolve"), threads);
  }

  /** The threads a scan of the pool splits its products over ({@code pool.threads}); each thread multiplies on its own. */
  public PoolThreads threads() {
    return threads;
  }

  private Compute compute() {
    Compute c = compute;
    if (c == null) {
      synchronized (this) {
        if (compute == null) compute = resolve.get();
        c = compute;
      }
    }
    return c;
  }

  public String device() {
    return compute().name();
  }

  /**
   * {@code out = a · bᵀ} for {@code a} {@code [m, dim]} and {@code b} {@code [n, dim]} gathered by the
   * caller into direct native-order buffers ({@link #buffer}): the engine reads them in place for the
   * call, so rows gathered from a large pool are copied once, not twice.
   */
  public void multiply(ByteBuffer a, int m, ByteBuffer b, int n, int dim, float[] out) {
    multiply(a, m, b, DataType.FLOAT32, n, dim, out);
  }

  /**
   * As {@link #multiply(ByteBuffer, int, ByteBuffer, int, int, float[])} with {@code b} holding fp16 bit
   * patterns ({@link FeatureRows#copyHalfRow}): the engine converts the block to the compute type at
   * once, so a pool held in fp16 copies half the bytes and converts nothing value by value in Java.
   */
  public void multiplyHalf(ByteBuffer a, int m, ByteBuffer bHalf, int n, int dim, float[] out) {
    multiply(a, m, bHalf, DataType.FLOAT16, n, dim, out);
  }

  private void multiply(ByteBuffer a, int m, ByteBuffer b, DataType bType, int n, int dim, float[] out) {
    if (m == 0 || n == 0) {
      return;
    }
    try (NDManager scope = compute().newScope()) {
      productInto(scope.create(rows(a, m, dim, DataType.FLOAT32), new Shape(m, dim), DataType.FLOAT32),
          scope.create(rows(b, n, dim, bType), new Shape(n, dim), bType), m * n, out);
    }
  }

  /** The first {@code count} rows of {@code type} of a {@link #buffer} as the engine reads them (a view, native order). */
  private static ByteBuffer rows(ByteBuffer buffer, int count, int dim, DataType type) {
    return buffer.duplicate().order(ByteOrder.nativeOrder()).position(0).limit(count * dim * type.getNumOfBytes());
  }

  /** A direct native-order buffer of at least {@code floats} floats for {@link #multiply(ByteBuffer, int, ByteBuffer, int, int, float[])}: {@code old} when large enough. */
  public static ByteBuffer buffer(ByteBuffer old, long floats) {
    if (old != null && old.capacity() >= floats * 4) return old;
    return ByteBuffer.allocateDirect(Math.toIntExact(Math.max(floats, old == null ? 0 : old.capacity() / 4 * 3 / 2) * 4))
        .order(ByteOrder.nativeOrder());
  }

  public void multiply(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int dim, float[] out) {
    int m = aTo - aFrom;
    int k = bTo - bFrom;
    if (m == 0 || k == 0) {
      return;
    }
    // both blocks staged in this thread's direct buffer: a heap buffer would leave a direct copy per call behind
    ByteBuffer staged = DirectStaging.ofThisThread().buffer(4L * (m + k) * dim);
    FloatBuffer v = staged.asFloatBuffer();
    v.put(0, a, aFrom * dim, m * dim);
    v.put(m * dim, b, bFrom * dim, k * dim);
    multiply(staged.slice(0, 4 * m * dim), m, staged.slice(4 * m * dim, 4 * k * dim), DataType.FLOAT32, k, dim, out);
  }

  /** {@code left · rightᵀ} in the compute type, its first {@code count} values copied into {@code out}. */
  private void productInto(NDArray left, NDArray right, int count, float[] out) {
    Compute c = compute();
    NDArray product = left.toType(c.type(), false).matMul(right.toType(c.type(), false).transpose());
    System.arraycopy(DeviceMatrix.floats(product), 0, out, 0, count);
  }
}
