package io.alvlm.config;

/**
 * When the trainer publishes a retrained model ({@code train.gate}): {@code NOT_WORSE} when its
 * held-out accuracy is at least the current model's less {@code train.gate.tolerance}, {@code ALWAYS}
 * whatever it scores.
 */
public enum TrainGate {
  NOT_WORSE, ALWAYS
}
