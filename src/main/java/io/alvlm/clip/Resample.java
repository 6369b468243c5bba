package io.alvlm.clip;

/**
 * The PIL resampling filters CLIP preprocessing can ask for ({@code resample} in
 * {@code preprocessor_config.json}, by PIL's numeric code), each resized as PIL does it: see
 * {@link BicubicResampler}.
 */
public enum Resample {
  /** PIL {@code BILINEAR} (code 2): the triangle filter, support 1. */
  BILINEAR(2, 1.0),
  /** PIL {@code BICUBIC} (code 3): Keys' cubic with a = -0.5, support 2; CLIP's choice. */
  BICUBIC(3, 2.0);

  private final int pilCode;
  private final double support;

  Resample(int pilCode, double support) {
    this.pilCode = pilCode;
    this.support = support;
  }

  /** PIL's {@code Image.Resampling} value. */
  public int pilCode() {
    return pilCode;
  }

  /** Half-width of the filter at scale 1, in input pixels. */
  double support() {
    return support;
  }

  double filter(double x) {
    return this == BICUBIC ? BicubicResampler.filter(x) : Math.max(0.0, 1.0 - Math.abs(x));
  }

  /** The filter with PIL code {@code code}, or null when this project has none. */
  public static Resample ofPilCode(int code) {
    for (Resample r : values()) {
      if (r.pilCode == code) return r;
    }
    return null;
  }

  /** Resizes the whole of {@code in} to {@code outW × outH} with this filter. */
  public RgbImage resize(RgbImage in, int outW, int outH) {
    return BicubicResampler.resize(in, 0, 0, in.width(), in.height(), outW, outH, this);
  }
}
