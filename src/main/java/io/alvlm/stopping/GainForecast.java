package io.alvlm.stopping;

/**
 * The learning curve so far, read from the stop set: after each model, the share {@code d} of stop-set
 * predictions that changed from the previous model bounds how much its accuracy on the pool can have moved
 * ({@code |Δacc| ≤ d}). {@link #fit} fits {@code d = a · n^(−b)} ({@code n}: labels) by least squares in
 * log–log over the last {@link #WINDOW} models; read at the next round's label count it forecasts the next
 * change (the bound on the next round's gain), and its fall from this round to the next says whether the
 * models are still settling: once retraining on more labels no longer makes them agree more, what still
 * changes is the training's own noise, and more labels buy little.
 */
public final class GainForecast {
  /** Models the fit looks back over. */
  public static final int WINDOW = 5;

  /** {@code d(n) = exp(intercept) · n^slope}. */
  public record Fit(double intercept, double slope) {
    public double at(double n) {
      return Math.min(1, Math.exp(intercept + slope * Math.log(n)));
    }
  }

  private GainForecast() {}

  /** The fit over {@code labels[i]} and {@code changed[i]}, oldest first; null until two models with labels. */
  public static Fit fit(double[] labels, double[] changed) {
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
    double den = m * sxx - sx * sx;
    if (m < 2 || den <= 0) return null;
    double slope = (m * sxy - sx * sy) / den;
    return new Fit((sy - slope * sx) / m, slope);
  }

  /** The forecast change at {@code next} labels; NaN without a fit. */
  public static double at(double next, double[] labels, double[] changed) {
    Fit f = fit(labels, changed);
    return f == null ? Double.NaN : f.at(next);
  }
}
