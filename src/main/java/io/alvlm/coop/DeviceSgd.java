package io.alvlm.coop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.alvlm.data.EngineScalar;

/**
 * {@link Sgd}'s update ({@code torch.optim.SGD}: momentum without dampening or Nesterov, weight
 * decay added to the gradient) on a parameter that stays on the engine's device: {@code g = grad +
 * wd·p; buf = μ·buf + g; p -= lr·buf}, in place, as separate float32 ops in the same order as
 * {@link Sgd}, so both agree within float rounding.
 *
 * <p>The parameter and the momentum buffer live on {@code state} (a long-lived manager the caller
 * owns and closes); temporaries of a step die with the caller's step scope. The buffer starts at
 * zero, so the first step sets it to {@code g} exactly, as PyTorch does. Not thread-safe.
 */
public final class DeviceSgd {
  private final NDArray parameter;
  private final NDArray buffer;
  private final NDArray momentum;
  private final NDArray weightDecay;
  private final boolean withMomentum;

  /** Takes {@code parameter} (attached to {@code state}) as the array it updates in place. */
  public DeviceSgd(NDManager state, NDArray parameter, double momentum, double weightDecay) {
    this.parameter = parameter;
    this.withMomentum = momentum != 0;
    this.buffer = state.zeros(parameter.getShape(), parameter.getDataType());
    this.momentum = EngineScalar.of(state, (float) momentum);
    this.weightDecay = EngineScalar.of(state, (float) weightDecay);
    // a caller's NDScope must not close the optimiser's state under it
    NDScope.unregister(buffer, this.momentum, this.weightDecay);
  }

  /** The parameter, updated in place by {@link #step}. */
  public NDArray parameter() {
    return parameter;
  }

  /**
   * One update with gradient {@code grad} (shape of the parameter, no gradient of its own needed)
   * at learning rate {@code lr} (a 0-dimensional float32 array). Call outside gradient recording.
   */
  public void step(NDArray grad, NDArray lr) {
    if (!grad.getShape().equals(parameter.getShape())) {
      throw new IllegalArgumentException("gradient has shape " + grad.getShape() + ", parameter " + parameter.getShape());
    }
    NDArray g = grad.add(parameter.mul(weightDecay));
    if (withMomentum) {
      buffer.muli(momentum).addi(g);
      g = buffer;
    }
    parameter.subi(g.mul(lr));
  }
}
