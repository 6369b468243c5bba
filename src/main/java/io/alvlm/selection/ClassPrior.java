package io.alvlm.selection;

import java.util.PriorityQueue;

/**
 * The contextualised class prior of cec.md §2: for each class {@code c}, the mean of {@code p_i[c]}
 * over the {@code topN} pool rows with the largest {@code p_i[c]} (all rows when the pool is smaller).
 */
public final class ClassPrior {
  private ClassPrior() {}

  /** Prior per class from row-major probabilities {@code [rows, classes]}. */
  public static double[] topNMean(double[] probs, int classes, int topN) {
    if (topN <= 0) {
      throw new IllegalArgumentException("top-n must be positive, got " + topN);
    }
    int rows = probs.length / classes;
    double[] prior = new double[classes];
    for (int c = 0; c < classes; c++) {
      PriorityQueue<Double> top = new PriorityQueue<>(topN + 1);
      for (int i = 0; i < rows; i++) {
        double v = probs[i * classes + c];
        if (top.size() < topN) {
          top.add(v);
        } else if (v > top.peek()) {
          top.poll();
          top.add(v);
        }
      }
      double s = 0;
      for (double v : top) {
        s += v;
      }
      prior[c] = top.isEmpty() ? 1.0 : s / top.size();
    }
    return prior;
  }
}
