package io.alvlm.selection;

import io.alvlm.data.Half;

/**
 * Arithmetic on {@link FeatureRows}' rows where they lie, in double: dot products, weighted sums and
 * squared distances, reading fp32 chunks directly and fp16 ones a value at a time, so no row is
 * copied or converted as a whole.
 */
final class RowArithmetic {
  private RowArithmetic() {}

  /** The dot product of two rows, in double. */
  static double dot(FeatureRows r, int a, int b) {
    int dim = r.dim();
    float[] x = r.fp32Chunk(a);
    float[] y = r.fp32Chunk(b);
    if (x != null && y != null) return DotProducts.dot(x, r.offset(a), y, r.offset(b), dim);
    if (x != null) return dot(r, b, x, r.offset(a));
    short[] h = r.halfChunk(a);
    int i = r.offset(a);
    if (y != null) {
      int j = r.offset(b);
      double s = 0;
      for (int d = 0; d < dim; d++) s += (double) Half.toFloat(h[i + d]) * y[j + d];
      return s;
    }
    short[] g = r.halfChunk(b);
    int j = r.offset(b);
    double s = 0;
    for (int d = 0; d < dim; d++) s += (double) Half.toFloat(h[i + d]) * Half.toFloat(g[j + d]);
    return s;
  }

  /** The dot product of {@code row} with {@code v[from, from + dim)}, in double. */
  static double dot(FeatureRows r, int row, float[] v, int from) {
    int dim = r.dim();
    float[] f = r.fp32Chunk(row);
    if (f != null) return DotProducts.dot(f, r.offset(row), v, from, dim);
    short[] x = r.halfChunk(row);
    int o = r.offset(row);
    double s = 0;
    for (int d = 0; d < dim; d++) s += (double) Half.toFloat(x[o + d]) * v[from + d];
    return s;
  }

  /** {@code sum[at + d] += w · row[d]} for every {@code d}, in double. */
  static void addScaled(FeatureRows r, int row, double w, double[] sum, int at) {
    int dim = r.dim();
    int o = r.offset(row);
    float[] f = r.fp32Chunk(row);
    if (f != null) {
      for (int d = 0; d < dim; d++) sum[at + d] += w * f[o + d];
    } else {
      short[] x = r.halfChunk(row);
      for (int d = 0; d < dim; d++) sum[at + d] += w * Half.toFloat(x[o + d]);
    }
  }

  /** {@code ‖row − c[at, at + dim)‖²}, in double. */
  static double squaredDistance(FeatureRows r, int row, float[] c, int at) {
    int dim = r.dim();
    int o = r.offset(row);
    double e = 0;
    float[] f = r.fp32Chunk(row);
    if (f != null) {
      for (int d = 0; d < dim; d++) {
        double v = f[o + d] - c[at + d];
        e += v * v;
      }
    } else {
      short[] x = r.halfChunk(row);
      for (int d = 0; d < dim; d++) {
        double v = Half.toFloat(x[o + d]) - c[at + d];
        e += v * v;
      }
    }
    return e;
  }
}
