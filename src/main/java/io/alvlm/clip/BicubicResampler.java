package io.alvlm.clip;

/**
 * Resizes 8-bit RGB images the way PIL's {@code Image.resize(..., BICUBIC, box)} does, which is
 * what CLIP's preprocessing uses: a separable bicubic filter (a = -0.5) whose support widens by
 * the scale factor when downscaling (antialiasing), coefficients normalised and fixed-point with
 * 22 fractional bits, a horizontal pass then a vertical one, each rounded and clamped to 8 bits.
 * The same convolution with PIL's triangle filter is its {@code BILINEAR} ({@link Resample}).
 * Stateless and thread-safe.
 */
public final class BicubicResampler {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double A = -0.5;

  private BicubicResampler() {}

  /** Per output pixel: first input index, number of taps, and fixed-point weights. */
  private record Taps(int[] first, int[] count, int[][] weights) {}

  /** Resizes the whole image to {@code outW × outH}. */
  public static RgbImage resize(RgbImage in, int outW, int outH) {
    return resize(in, 0, 0, in.width(), in.height(), outW, outH);
  }

  /** Resizes the region {@code [x0, x1) × [y0, y1)} (input pixels, fractional allowed) to {@code outW × outH}. */
  public static RgbImage resize(RgbImage in, double x0, double y0, double x1, double y1, int outW, int outH) {
    return resize(in, x0, y0, x1, y1, outW, outH, Resample.BICUBIC);
  }

  /** Resizes the region {@code [x0, x1) × [y0, y1)} to {@code outW × outH} with {@code filter}. */
  static RgbImage resize(RgbImage in, double x0, double y0, double x1, double y1, int outW, int outH,
      Resample filter) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("output size " + outW + "×" + outH + " must be positive");
    }
    Taps h = taps(in.width(), x0, x1, outW, filter);
    Taps v = taps(in.height(), y0, y1, outH, filter);
    int yFirst = v.first[0];
    int yEnd = v.first[outH - 1] + v.count[outH - 1];
    for (int yy = 0; yy < outH; yy++) {
      yFirst = Math.min(yFirst, v.first[yy]);
      yEnd = Math.max(yEnd, v.first[yy] + v.count[yy]);
    }
    int rows = yEnd - yFirst;
    byte[] tmp = new byte[rows * outW * 3];
    byte[] src = in.rgb();
    int w = in.width();
    for (int y = 0; y < rows; y++) {
      int rowBase = (y + yFirst) * w * 3;
      for (int xx = 0; xx < outW; xx++) {
        int[] k = h.weights[xx];
        int base = rowBase + h.first[xx] * 3;
        for (int c = 0; c < 3; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int t = 0; t < h.count[xx]; t++) {
            ss += (src[base + t * 3 + c] & 0xff) * k[t];
          }
          tmp[(y * outW + xx) * 3 + c] = clip8(ss);
        }
      }
    }
    byte[] out = new byte[outW * outH * 3];
    for (int yy = 0; yy < outH; yy++) {
      int[] k = v.weights[yy];
      int start = v.first[yy] - yFirst;
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < 3; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int t = 0; t < v.count[yy]; t++) {
            ss += (tmp[((start + t) * outW + x) * 3 + c] & 0xff) * k[t];
          }
          out[(yy * outW + x) * 3 + c] = clip8(ss);
        }
      }
    }
    return new RgbImage(outW, outH, out);
  }

  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  static double filter(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  private static Taps taps(int inSize, double in0, double in1, int outSize, Resample filter) {
    double scale = (in1 - in0) / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support() * filterScale;
    int[] first = new int[outSize];
    int[] count = new int[outSize];
    int[][] weights = new int[outSize][];
    for (int xx = 0; xx < outSize; xx++) {
      double center = in0 + (xx + 0.5) * scale;
      // C casts truncate towards zero; PIL clamps afterwards
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] k = new double[Math.max(xmax, 0)];
      double sum = 0;
      double ss = 1.0 / filterScale;
      for (int x = 0; x < k.length; x++) {
        k[x] = filter.filter((x + xmin - center + 0.5) * ss);
        sum += k[x];
      }
      int[] fixed = new int[k.length];
      for (int x = 0; x < k.length; x++) {
        double kx = sum != 0 ? k[x] / sum : k[x];
        fixed[x] = (int) (kx < 0 ? -0.5 + kx * (1 << PRECISION_BITS) : 0.5 + kx * (1 << PRECISION_BITS));
      }
      first[xx] = xmin;
      count[xx] = k.length;
      weights[xx] = fixed;
    }
    return new Taps(first, count, weights);
  }
}
