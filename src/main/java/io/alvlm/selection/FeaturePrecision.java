package io.alvlm.selection;

import java.util.Locale;

/**
 * How the pool holds its features ({@code pool.features.precision}): fp32, fp16 (half the
 * memory, each value rounded to the nearest half), or auto: fp32 while the neighbour lists are exact
 * scans, fp16 from when the pool starts training its cells (it is large; its lists will be approximate).
 */
public enum FeaturePrecision {
  FP32, FP16, AUTO;

  public static FeaturePrecision parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pool.features.precision=" + s + ": want fp32, fp16 or auto");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
