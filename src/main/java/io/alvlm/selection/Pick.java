package io.alvlm.selection;

import java.util.Map;

/**
 * One chosen image: its row in the {@link PoolView}, the cluster that chose it (-1 when the strategy
 * does not cluster) and the score parts that explain the choice (for CEC: {@code calibrated_entropy},
 * {@code neighbor_entropy}, {@code uncertainty}; for others their own score, e.g. {@code entropy}).
 */
public record Pick(int row, int cluster, Map<String, Double> scores) {
  public Pick {
    scores = Map.copyOf(scores);
  }
}
