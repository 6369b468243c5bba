package io.alvlm.coop;

import java.util.List;

/**
 * Whether a retraining starts from the previous model's context ("warm") with fewer epochs,
 * instead of the paper's protocol of starting every round from {@code ctxInit} ("from zero").
 *
 * @param enabled off keeps the paper's protocol
 * @param epochs epochs of a warm retraining (the schedule, warm-up included, is run over these)
 */
public record WarmStart(boolean enabled, int epochs) {
  /** From zero every time. */
  public static final WarmStart OFF = new WarmStart(false, 0);

  public WarmStart {
    if (enabled && epochs <= 0) throw new IllegalArgumentException("warm-start epochs must be positive, got " + epochs);
  }

  /**
   * The context to start from: {@code previous}'s when enabled and previous was learnt (not zero-shot)
   * on the same base model with the same context shape ({@code nCtx}, width, shared or class-specific,
   * and with class-specific context the same classes); else null, which means from zero.
   */
  public float[] contextFrom(PromptModel previous, String baseModelId, List<String> classNames, int nCtx, int width,
      boolean classSpecific) {
    if (!enabled || previous == null || previous.nCtx() == 0) return null;
    boolean same = previous.baseModelId().equals(baseModelId) && previous.nCtx() == nCtx
        && previous.ctxWidth() == width && previous.classSpecific() == classSpecific
        && (!classSpecific || previous.classNames().equals(classNames));
    return same ? previous.context().clone() : null;
  }

  /** {@code cfg} with this warm start's epochs when {@code warm}, else {@code cfg} unchanged. */
  public CoopConfig config(CoopConfig cfg, boolean warm) {
    return warm ? cfg.withEpochs(epochs) : cfg;
  }
}
