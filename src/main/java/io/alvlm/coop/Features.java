package io.alvlm.coop;

/** Row operations on float feature matrices. */
final class Features {
  private Features() {}

  /** {@code v / ‖v‖} (a zero vector stays zero). */
  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    double n = Math.sqrt(s);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = n == 0 ? 0f : (float) (v[i] / n);
    return out;
  }

  static float[] flatten(float[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * d, d);
    return out;
  }

  static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
    return (float) s;
  }
}
