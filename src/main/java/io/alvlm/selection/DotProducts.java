package io.alvlm.selection;

/**
 * Blocked dense products of row-major float matrices: {@code out[i][j] = a_i · b_j} for a range of rows
 * of {@code a} against a range of rows of {@code b}, both {@code [*, dim]}. The kernel works on 4×4
 * tiles of output so that each loaded value feeds four multiply-adds; callers split large products
 * into blocks (see {@link RowBlocks}) so that no {@code N × N} matrix is ever held.
 */
public final class DotProducts {
  private DotProducts() {}

  /**
   * Writes {@code a[aFrom..aTo) · b[bFrom..bTo)ᵀ} into {@code out}, row-major with width
   * {@code bTo - bFrom}, accumulating in float.
   */
  public static void floats(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int dim, float[] out) {
    int m = bTo - bFrom;
    int i = aFrom;
    for (; i + 3 < aTo; i += 4) {
      int x0 = i * dim, x1 = x0 + dim, x2 = x1 + dim, x3 = x2 + dim;
      int o = (i - aFrom) * m;
      int j = bFrom;
      for (; j + 3 < bTo; j += 4) {
        int y0 = j * dim, y1 = y0 + dim, y2 = y1 + dim, y3 = y2 + dim;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k = 0; k < dim; k++) {
          float a0 = a[x0 + k], a1 = a[x1 + k], a2 = a[x2 + k], a3 = a[x3 + k];
          float b0 = b[y0 + k], b1 = b[y1 + k], b2 = b[y2 + k], b3 = b[y3 + k];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        int c = o + (j - bFrom);
        out[c] = c00; out[c + 1] = c01; out[c + 2] = c02; out[c + 3] = c03;
        c += m;
        out[c] = c10; out[c + 1] = c11; out[c + 2] = c12; out[c + 3] = c13;
        c += m;
        out[c] = c20; out[c + 1] = c21; out[c + 2] = c22; out[c + 3] = c23;
        c += m;
        out[c] = c30; out[c + 1] = c31; out[c + 2] = c32; out[c + 3] = c33;
      }
      for (; j < bTo; j++) {
        for (int r = 0; r < 4; r++) {
          out[o + r * m + (j - bFrom)] = (float) dot(a, (i + r) * dim, b, j * dim, dim);
        }
      }
    }
    for (; i < aTo; i++) {
      int o = (i - aFrom) * m;
      for (int j = bFrom; j < bTo; j++) {
        out[o + j - bFrom] = (float) dot(a, i * dim, b, j * dim, dim);
      }
    }
  }

  /** One dot product in double: {@code a[aOff..aOff+dim) · b[bOff..bOff+dim)}. */
  public static double dot(float[] a, int aOff, float[] b, int bOff, int dim) {
    double s0 = 0, s1 = 0;
    int k = 0;
    for (; k + 1 < dim; k += 2) {
      s0 += (double) a[aOff + k] * b[bOff + k];
      s1 += (double) a[aOff + k + 1] * b[bOff + k + 1];
    }
    if (k < dim) {
      s0 += (double) a[aOff + k] * b[bOff + k];
    }
    return s0 + s1;
  }
}
