package io.alvlm.clip;

import io.alvlm.data.Fixtures;
import io.alvlm.data.SafeTensors;
import java.util.List;

/** The clip-tiny reference outputs (Hugging Face transformers) and comparisons against them. */
public final class Expected {
  private static Reference reference;

  private Expected() {}

  private static synchronized Reference reference() {
    if (reference == null) reference = Reference.of(Fixtures.clipTiny());
    return reference;
  }

  public static SafeTensors file() {
    return reference().file();
  }

  /** The tensor as rows of its first dimension. */
  public static float[][] rows(String name) {
    return reference().rows(name);
  }

  public static List<float[]> rowList(String name) {
    return reference().rowList(name);
  }

  public static long[][] ids(String name) {
    return reference().ids(name);
  }

  /** max |a − b| over max |b|: the relative error of a whole tensor. */
  public static double relativeError(float[][] actual, float[][] expected) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        diff = Math.max(diff, Math.abs(actual[i][j] - expected[i][j]));
        scale = Math.max(scale, Math.abs(expected[i][j]));
      }
    }
    return diff / scale;
  }

  /** max |a − b| over all values. */
  public static double maxAbsoluteError(float[][] actual, float[][] expected) {
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        diff = Math.max(diff, Math.abs(actual[i][j] - expected[i][j]));
      }
    }
    return diff;
  }

  public static int firstEndOfText(long[] row) {
    for (int j = 0; j < row.length; j++) {
      if (row[j] == 49407) return j;
    }
    throw new IllegalArgumentException("no end-of-text");
  }
}
