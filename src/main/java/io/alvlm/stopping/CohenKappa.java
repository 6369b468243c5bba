package io.alvlm.stopping;

/**
 * Cohen's kappa of two label assignments of the same items, {@code (p_o − p_e) / (1 − p_e)}: {@code p_o} the
 * share of items given the same class, {@code p_e} the agreement expected by chance from each assignment's
 * class shares, {@code Σ_c a_c b_c}. Two assignments that both put everything in one class agree perfectly
 * (1, where the formula divides 0 by 0).
 */
public final class CohenKappa {
  private CohenKappa() {}

  public static double of(int[] a, int[] b, int classes) {
    if (a.length != b.length) throw new IllegalArgumentException(a.length + " against " + b.length + " predictions");
    if (a.length == 0) return 1;
    double[] ca = new double[classes], cb = new double[classes];
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      ca[a[i]]++;
      cb[b[i]]++;
      if (a[i] == b[i]) same++;
    }
    double n = a.length, po = same / n, pe = 0;
    for (int c = 0; c < classes; c++) pe += (ca[c] / n) * (cb[c] / n);
    return pe >= 1 ? 1 : (po - pe) / (1 - pe);
  }

  /** Share of items the two assignments put in the same class. */
  public static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
    return a.length == 0 ? 1 : (double) same / a.length;
  }
}
