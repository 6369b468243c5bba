package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The host buffer a batch of pixels goes through on its way into the engine: one direct buffer, kept
 * and reused from batch to batch (grown when a batch is larger), filled from the images' float arrays in
 * parallel. DJL's {@code create(float[])} would allocate and zero a new direct buffer per batch and copy
 * into it from one more flat array: at batch 1024 and 224 px that is 616 MB, twice, on one thread.
 *
 * <p>For a GPU the buffer is page-locked with CUDA's {@code cudaHostRegister} (through JNA, as DJL finds
 * its CUDA runtime): the engine's copy to the device ({@code from_blob(..).to(device)}) then runs by DMA
 * straight from it instead of through the driver's own pinned bounce buffer. Where registering fails, the
 * buffer stays pageable and {@link #pinning} says why. Not thread-safe: the model's monitor guards it.
 */
final class PixelStaging implements AutoCloseable {
  /** The two CUDA runtime calls this needs; loaded like DJL's own {@code CudaUtils}. */
  interface CudaRuntime extends Library {
    int cudaHostRegister(Pointer ptr, long size, int flags);

    int cudaHostUnregister(Pointer ptr);
  }

  private final boolean pin;
  private ByteBuffer buffer;
  private boolean pinned;
  private String pinning;

  /** @param pin page-lock the buffer (the model is on a GPU) */
  PixelStaging(boolean pin) {
    this.pin = pin;
    this.pinning = pin ? "not yet allocated" : "pageable (the model is on the CPU)";
  }

  /** {@code pixels} (each {@code per} floats) as one {@code [n, 3, s, s]} float32 array on {@code m}'s device. */
  NDArray upload(NDManager m, List<float[]> pixels, int per, int side) {
    int n = pixels.size();
    long bytes = (long) n * per * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a batch of " + n + " images of " + side + " px is " + bytes
          + " bytes, over the 2 GiB a buffer can hold: lower the batch size");
    }
    ensure((int) bytes);
    ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
    view.limit((int) bytes);
    FloatBuffer floats = view.asFloatBuffer();
    IntStream range = IntStream.range(0, n);
    (n >= 16 ? range.parallel() : range).forEach(i -> floats.duplicate().position(i * per).put(pixels.get(i)));
    return m.create(view.slice().order(ByteOrder.nativeOrder()), new Shape(n, 3, side, side), DataType.FLOAT32);
  }

  /** Whether the buffer is page-locked, and if not, why. */
  String pinning() {
    return pinning;
  }

  private void ensure(int bytes) {
    if (buffer != null && buffer.capacity() >= bytes) return;
    release();
    buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    if (pin) register();
  }

  private void register() {
    try {
      int status = cuda().cudaHostRegister(Native.getDirectBufferPointer(buffer), buffer.capacity(), 0);
      pinned = status == 0;
      pinning = pinned ? "page-locked (cudaHostRegister), " + buffer.capacity() + " bytes"
          : "pageable: cudaHostRegister returned CUDA error " + status;
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      pinning = "pageable: no CUDA runtime for JNA (" + e.getMessage() + ")";
    }
  }

  private static CudaRuntime cuda() {
    return Native.load("cudart", CudaRuntime.class);
  }

  private void release() {
    if (pinned) {
      cuda().cudaHostUnregister(Native.getDirectBufferPointer(buffer));
      pinned = false;
    }
    buffer = null;
  }

  @Override
  public void close() {
    release();
  }
}
