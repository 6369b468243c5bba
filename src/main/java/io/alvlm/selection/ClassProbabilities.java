package io.alvlm.selection;

/**
 * Zero-shot class probabilities of pool rows that the caller keeps up to date (the service scores each
 * image as it arrives and the whole pool once per new model: one N × C product), so that a query round
 * only gathers them. Values must be what {@link ZeroShotProbabilities#of} gives for the view's
 * features, class text and logit scale (up to float rounding).
 */
public interface ClassProbabilities {
  /** Copies the {@code classes} probabilities of pool row {@code row} into {@code out} at {@code offset}. */
  void copyRow(int row, double[] out, int offset);
}
