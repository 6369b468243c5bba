package io.alvlm.selection;

/** Small dense-vector operations on row-major float arrays. */
public final class Vectors {
  private Vectors() {}

  /** A copy of {@code m} ({@code [rows, dim]}) with every row scaled to unit L2 norm (zero rows stay zero). */
  public static float[] normalizedRows(float[] m, int dim) {
    return normalizeRows(m.clone(), dim);
  }

  /** Scales every row of {@code m} ({@code [rows, dim]}) to unit L2 norm in place (zero rows stay zero); returns {@code m}. */
  public static float[] normalizeRows(float[] m, int dim) {
    if (dim <= 0 || m.length % dim != 0) {
      throw new IllegalArgumentException("array of " + m.length + " values is not a matrix of width " + dim);
    }
    float[] out = m;
    for (int off = 0; off < out.length; off += dim) {
      double s = 0;
      for (int j = 0; j < dim; j++) s += (double) out[off + j] * out[off + j];
      if (s > 0) {
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int j = 0; j < dim; j++) out[off + j] *= inv;
      }
    }
    return out;
  }
}
