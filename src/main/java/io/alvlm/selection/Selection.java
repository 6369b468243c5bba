package io.alvlm.selection;

import java.util.List;
import java.util.Map;

/**
 * A strategy's answer: the picks in the order chosen, per-row score arrays (one value per pool row,
 * NaN for rows a score does not cover; CEC: {@code entropy}, {@code calibrated_entropy},
 * {@code neighbor_entropy}, {@code uncertainty}), round-level facts (CEC: {@code prior} per class) and
 * the time each phase took in milliseconds ({@code scores}, {@code neighbors}, {@code kmeans}, ...).
 * {@code objective} is a strategy-defined quality figure (CEC: the weighted k-means inertia), NaN when
 * none applies. {@code duplicates} are the rows the strategy proposed and near-duplicate suppression
 * turned down ({@link DeduplicatedStrategy}), each with the labelled, pending or picked row it copies.
 */
public record Selection(
    List<Pick> picks,
    Map<String, float[]> rowScores,
    Map<String, float[]> roundFacts,
    Map<String, Double> timingsMs,
    double objective,
    List<NearCopy> duplicates) {

  public Selection {
    picks = List.copyOf(picks);
    rowScores = Map.copyOf(rowScores);
    roundFacts = Map.copyOf(roundFacts);
    timingsMs = Map.copyOf(timingsMs);
    duplicates = List.copyOf(duplicates);
  }

  /** A selection that turned nothing down. */
  public Selection(List<Pick> picks, Map<String, float[]> rowScores, Map<String, float[]> roundFacts,
      Map<String, Double> timingsMs, double objective) {
    this(picks, rowScores, roundFacts, timingsMs, objective, List.of());
  }

  public static Selection empty() {
    return new Selection(List.of(), Map.of(), Map.of(), Map.of(), Double.NaN);
  }

  public int[] rows() {
    return picks.stream().mapToInt(Pick::row).toArray();
  }
}
