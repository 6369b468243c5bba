package io.alvlm.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A float32 scalar whose memory the engine allocates and owns, for arithmetic that autograd may
 * record. Use it instead of DJL's {@code NDArray.mul(Number)}, {@code div(Number)},
 * {@code add(Number)} and their kin.
 *
 * <p>Why: on the PyTorch engine those methods wrap the number in a tensor over a Java direct buffer
 * ({@code from_blob}, no copy) and close it as soon as the op returns. Autograd keeps that tensor
 * (the product rule needs the other factor), but nothing on the Java side keeps the buffer any
 * more, so the garbage collector frees it and a later backward pass reads whatever the memory
 * holds by then: intermittent NaN or wildly wrong gradients. {@code full} allocates in the engine,
 * so the saved tensor keeps its own storage alive.
 */
public final class EngineScalar {
  private EngineScalar() {}

  /** A 0-dimensional float32 array holding {@code value}, attached to {@code m}. */
  public static NDArray of(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  /** {@code x · value}, safe to differentiate. */
  public static NDArray times(NDArray x, float value) {
    return x.mul(of(x.getManager(), value));
  }

  /** {@code x / value}, safe to differentiate. */
  public static NDArray dividedBy(NDArray x, float value) {
    return x.div(of(x.getManager(), value));
  }
}
