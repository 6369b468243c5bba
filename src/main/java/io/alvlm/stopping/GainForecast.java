package io.alvlm.stopping;

/**
 * The learning curve so far, read from the stop set: after each model, the share {@code d} of stop-set
 * predictions that changed from the previous model bounds how much its accuracy on the pool can have moved
 * ({@code |Δacc| ≤ d}). The forecast fits {@code d = a · n^(−b)} ({@code n}: labels) by least squares in
 * log–log over the last {@link #WINDOW} models and reads it at the next round's label count. NaN until two
 * models with changes have been seen.
 */
public final class GainForecast {
  /** Models the fit looks back over. */
  public static final int WINDOW = 4;

  private GainForecast() {}

  /** The forecast change at {@code next} labels from {@code labels[i]} and {@code changed[i]}, oldest first. */
  public static double at(double next, double[] labels, double[] changed) {
    int from = Math.max(0, labels.length - WINDOW);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int i = from; i < labels.length; i++) {
      if (!(labels[i] > 0)) continue;
      // a round that changed nothing is a zero on the curve; its log is pinned at one prediction in 10⁴
      double x = Math.log(labels[i]), y = Math.log(Math.max(changed[i], 1e-4));
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      m++;
    }
    if (m < 2) return Double.NaN;
    double den = m * sxx - sx * sx;
    if (den <= 0) return Double.NaN;
    double slope = (m * sxy - sx * sy) / den;
    double icpt = (sy - slope * sx) / m;
    return Math.min(1, Math.exp(icpt + slope * Math.log(next)));
  }
}
