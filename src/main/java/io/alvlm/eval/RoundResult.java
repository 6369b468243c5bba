package io.alvlm.eval;

import java.util.List;
import java.util.Objects;

/**
 * One finished round of one strategy and seed: the labels used so far and the test accuracy of the
 * classifier trained on them. The zero-shot baseline is the row with strategy {@code zero-shot},
 * round 0 and no labels. Accuracies are fractions in [0, 1], times in seconds.
 *
 * @param budget the cumulative budget as reports write it ({@code 2%})
 * @param finishedAt ISO-8601 instant the round's row was written
 */
public record RoundResult(String strategy, long seed, int round, int labels, String budget, double top1,
    double meanPerClass, double zeroShotTop1, double zeroShotMeanPerClass, double selectionSeconds,
    double trainingSeconds, String finishedAt) {
  /** The strategy name of the zero-shot row. */
  public static final String ZERO_SHOT = "zero-shot";
  /** CSV and JSON column names, in order. */
  public static final List<String> COLUMNS = List.of("strategy", "seed", "round", "labels", "budget", "top1",
      "mean_per_class", "zero_shot_top1", "zero_shot_mean_per_class", "selection_seconds", "training_seconds",
      "finished_at");

  public RoundResult {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  public boolean zeroShot() {
    return strategy.equals(ZERO_SHOT);
  }

  List<String> cells() {
    return List.of(strategy, String.valueOf(seed), String.valueOf(round), String.valueOf(labels), budget,
        fmt(top1), fmt(meanPerClass), fmt(zeroShotTop1), fmt(zeroShotMeanPerClass), fmt(selectionSeconds),
        fmt(trainingSeconds), finishedAt);
  }

  static RoundResult parse(List<String> c) {
    if (c.size() != COLUMNS.size()) {
      throw new IllegalArgumentException("results row has " + c.size() + " cells, want " + COLUMNS.size() + ": " + c);
    }
    return new RoundResult(c.get(0), Long.parseLong(c.get(1)), Integer.parseInt(c.get(2)), Integer.parseInt(c.get(3)),
        c.get(4), Double.parseDouble(c.get(5)), Double.parseDouble(c.get(6)), Double.parseDouble(c.get(7)),
        Double.parseDouble(c.get(8)), Double.parseDouble(c.get(9)), Double.parseDouble(c.get(10)), c.get(11));
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.6f", v);
  }
}
