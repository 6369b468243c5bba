package io.alvlm.coop;

/**
 * {@code torch.optim.SGD} with momentum and weight decay (no dampening, no Nesterov) on a flat
 * float array, in place: {@code g = grad + wd·p; buf = μ·buf + g (buf = g at first); p -= lr·buf}.
 * Holds the momentum buffer; one instance per parameter array.
 */
public final class Sgd {
  private final float momentum;
  private final float weightDecay;
  private float[] buffer;

  public Sgd(double momentum, double weightDecay) {
    this.momentum = (float) momentum;
    this.weightDecay = (float) weightDecay;
  }

  /** Updates {@code p} in place with {@code grad} at learning rate {@code lr}. */
  public void step(float[] p, float[] grad, double lr) {
    if (grad.length != p.length) {
      throw new IllegalArgumentException("gradient has " + grad.length + " values, parameter " + p.length);
    }
    float[] g = new float[p.length];
    for (int i = 0; i < p.length; i++) g[i] = grad[i] + weightDecay * p[i];
    if (momentum != 0) {
      if (buffer == null) {
        buffer = g.clone();
      } else {
        for (int i = 0; i < p.length; i++) buffer[i] = momentum * buffer[i] + g[i];
      }
      g = buffer;
    }
    float rate = (float) lr;
    for (int i = 0; i < p.length; i++) p[i] -= rate * g[i];
  }
}
