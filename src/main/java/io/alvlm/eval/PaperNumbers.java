package io.alvlm.eval;

import java.util.Map;
import java.util.Optional;

/**
 * The CEC paper's own test accuracies (CoOp, ViT-B/16 CLIP, mean of three seeds; docs/cec.md):
 * CEC at 1/2/5% of the pool and zero-shot CLIP, per dataset, in percent.
 */
public final class PaperNumbers {
  /** CEC's accuracy at a cumulative budget, and zero-shot CLIP's. */
  public record Figures(Map<Integer, Double> cecByPercent, double zeroShot) {
    public Optional<Double> cec(double percent) {
      long p = Math.round(percent);
      return Math.abs(percent - p) < 1e-9 ? Optional.ofNullable(cecByPercent.get((int) p)) : Optional.empty();
    }
  }

  private static final Map<String, Figures> BY_DATASET = Map.of(
      "DTD", new Figures(Map.of(1, 47.9, 2, 52.8, 5, 58.2), 44.3),
      "Caltech101", new Figures(Map.of(1, 88.7, 2, 89.0, 5, 92.8), 91.3),
      "EuroSAT", new Figures(Map.of(1, 82.8, 2, 86.2, 5, 88.0), 42.0),
      "FGVC-Aircraft", new Figures(Map.of(1, 20.3, 2, 22.3, 5, 27.1), 24.9),
      "Flowers102", new Figures(Map.of(1, 64.1, 2, 75.6, 5, 88.2), 67.3),
      "UCF101", new Figures(Map.of(1, 57.6, 2, 67.0, 5, 76.2), 64.3));

  private PaperNumbers() {}

  /** The figures of one of the paper's datasets ({@code DTD}, {@code Caltech101}, ...). */
  public static Optional<Figures> of(String paperDataset) {
    return Optional.ofNullable(BY_DATASET.get(paperDataset));
  }
}
