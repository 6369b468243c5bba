package io.alvlm.selection;

import java.util.PriorityQueue;

/**
 * The contextualised class prior of cec.md §2: for each class {@code c}, the mean of {@code p_i[c]}
 * over the {@code topN} pool rows with the largest {@code p_i[c]} (all rows when the pool is smaller).
 * {@link Running} keeps the top N per class while blocks of rows stream past, so a pool's prior never
 * needs all its probabilities at once.
 */
public final class ClassPrior {
  private ClassPrior() {}

  /** Prior per class from row-major probabilities {@code [rows, classes]}. */
  public static double[] topNMean(double[] probs, int classes, int topN) {
    Running prior = new Running(classes, topN);
    prior.offer(probs, probs.length / classes);
    return prior.prior();
  }

  /** The top N of each class over every row offered so far; the same prior as {@link #topNMean} over those rows, in the same order. */
  public static final class Running {
    private final int classes;
    private final int topN;
    private final PriorityQueue<Double>[] top;

    @SuppressWarnings("unchecked")
    public Running(int classes, int topN) {
      if (topN <= 0) {
        throw new IllegalArgumentException("top-n must be positive, got " + topN);
      }
      this.classes = classes;
      this.topN = topN;
      this.top = new PriorityQueue[classes];
      for (int c = 0; c < classes; c++) top[c] = new PriorityQueue<>(topN + 1);
    }

    /** Offers the first {@code rows} rows of row-major probabilities {@code [rows, classes]}. */
    public void offer(double[] probs, int rows) {
      for (int c = 0; c < classes; c++) {
        PriorityQueue<Double> t = top[c];
        for (int i = 0; i < rows; i++) {
          double v = probs[i * classes + c];
          if (t.size() < topN) {
            t.add(v);
          } else if (v > t.peek()) {
            t.poll();
            t.add(v);
          }
        }
      }
    }

    /** Prior per class from the rows offered; 1 for every class when none were. */
    public double[] prior() {
      double[] prior = new double[classes];
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (double v : top[c]) {
          s += v;
        }
        prior[c] = top[c].isEmpty() ? 1.0 : s / top[c].size();
      }
      return prior;
    }
  }
}
