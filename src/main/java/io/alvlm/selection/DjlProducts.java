package io.alvlm.selection;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * {@link MatrixProducts} on the PyTorch engine through DJL: each call copies the two blocks in, runs one
 * matmul (MKL/OpenBLAS threads on the CPU, or the GPU when the engine sees one) and copies the product
 * back, all inside a scoped {@link NDManager} so that nothing outlives the call. Blocks are large and
 * run one after another (the engine parallelises inside). Needs the system property
 * {@code ai.djl.offline=true} where the native library is cached and there is no network.
 */
public final class DjlProducts implements MatrixProducts {
  private static final String ENGINE = "PyTorch";

  private final NDManager base;
  private final String name;

  private DjlProducts(NDManager base, String name) {
    this.base = base;
    this.name = name;
  }

  /** Loaded on first use; {@code null} with the reason recorded when the engine cannot load. */
  private static final class Holder {
    static final DjlProducts INSTANCE;
    static final Throwable FAILURE;

    static {
      DjlProducts p = null;
      Throwable failure = null;
      try {
        Engine engine = Engine.getEngine(ENGINE);
        Device device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        p = new DjlProducts(NDManager.newBaseManager(device, ENGINE), "djl-" + (device.isGpu() ? "gpu" : "cpu"));
      } catch (Throwable t) { // engine missing, native library not loadable offline, ...
        failure = t;
      }
      INSTANCE = p;
      FAILURE = failure;
    }
  }

  /** Whether the PyTorch engine loads here. */
  public static boolean available() {
    return Holder.INSTANCE != null;
  }

  /** The shared instance; throws {@link IllegalStateException} with the cause when the engine is unavailable. */
  public static DjlProducts instance() {
    if (Holder.INSTANCE == null) {
      throw new IllegalStateException("DJL PyTorch engine is not available", Holder.FAILURE);
    }
    return Holder.INSTANCE;
  }

  @Override
  public void multiply(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int dim, float[] out) {
    int m = aTo - aFrom, k = bTo - bFrom;
    if (m == 0 || k == 0) {
      return;
    }
    try (NDManager scope = base.newSubManager()) {
      NDArray left = scope.create(FloatBuffer.wrap(a, aFrom * dim, m * dim).slice(), new Shape(m, dim));
      NDArray right = scope.create(FloatBuffer.wrap(b, bFrom * dim, k * dim).slice(), new Shape(k, dim));
      NDArray product = left.matMul(right.transpose());
      product.toByteBuffer().asFloatBuffer().get(out, 0, m * k);
    }
  }

  @Override
  public int rowBlock() {
    return 4096;
  }

  @Override
  public int columnBlock() {
    return 4096;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void forEachBlock(int rows, int blockRows, RowBlocks.Block work) {
    for (int from = 0; from < rows; from += blockRows) {
      work.run(from, Math.min(rows, from + blockRows));
    }
  }
}
