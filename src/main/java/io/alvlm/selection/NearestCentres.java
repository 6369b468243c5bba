package io.alvlm.selection;

/**
 * The nearest and second-nearest of a range of centres for each of a set of rows, from blocked products
 * ({@code ‖x−c‖² = ‖x‖² + ‖c‖² − 2 x·c}, products in float, sums in double). Results merge into what
 * the arrays already hold, so centres can be folded in a range at a time; ties go to the smaller centre.
 */
final class NearestCentres {
  private NearestCentres() {}

  /**
   * For rows {@code rows[0..count)} (or rows {@code 0..count) when {@code rows} is null) of {@code x}
   * ({@code [*, dim]}, squared norms {@code xNorms}), merges centres {@code [cFrom, cTo)} of
   * {@code centers} (squared norms {@code cNorms}) into {@code label}, {@code best} and {@code second}
   * (squared distances, indexed by row).
   */
  static void merge(MatrixProducts p, float[] x, int dim, double[] xNorms, int[] rows, int count,
      float[] centers, int cFrom, int cTo, double[] cNorms, int[] label, double[] best, double[] second) {
    int cb = Math.min(cTo - cFrom, p.columnBlock());
    if (cb <= 0) {
      return;
    }
    p.forEachBlock(count, p.rowBlock(), (from, to) -> {
      int m = to - from;
      float[] a = x;
      int aFrom = from;
      if (rows != null) {
        a = new float[m * dim];
        for (int r = 0; r < m; r++) System.arraycopy(x, rows[from + r] * dim, a, r * dim, dim);
        aFrom = 0;
      }
      float[] buf = new float[m * cb];
      for (int c0 = cFrom; c0 < cTo; c0 += cb) {
        int c1 = Math.min(cTo, c0 + cb);
        int width = c1 - c0;
        p.multiply(a, aFrom, aFrom + m, centers, c0, c1, dim, buf);
        for (int r = 0; r < m; r++) {
          int i = rows == null ? from + r : rows[from + r];
          double b1 = best[i], b2 = second[i];
          int l = label[i];
          double xn = xNorms[i];
          int o = r * width;
          for (int j = 0; j < width; j++) {
            double d = xn + cNorms[c0 + j] - 2.0 * buf[o + j];
            if (d < b2) {
              if (d < b1) {
                b2 = b1;
                b1 = d;
                l = c0 + j;
              } else {
                b2 = d;
              }
            }
          }
          best[i] = Math.max(0, b1);
          second[i] = Math.max(0, b2);
          label[i] = l;
        }
      }
    });
  }
}
