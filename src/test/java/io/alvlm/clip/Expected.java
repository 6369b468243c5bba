package io.alvlm.clip;

import io.alvlm.data.Fixtures;
import io.alvlm.data.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The clip-tiny reference outputs (Hugging Face transformers) and comparisons against them. */
public final class Expected {
  private static SafeTensors file;

  private Expected() {}

  public static synchronized SafeTensors file() {
    if (file == null) {
      try {
        file = SafeTensors.open(Fixtures.clipTiny().resolve("expected.safetensors"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file;
  }

  /** The tensor as rows of its first dimension. */
  public static float[][] rows(String name) {
    try {
      SafeTensors.Floats f = file().floats(name);
      int n = (int) f.shape()[0];
      int d = f.data().length / n;
      float[][] out = new float[n][];
      for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(f.data(), i * d, (i + 1) * d);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<float[]> rowList(String name) {
    return new ArrayList<>(List.of(rows(name)));
  }

  public static long[][] ids(String name) {
    try {
      long[] flat = file().longs(name);
      long[] shape = file().entry(name).shape();
      long[][] out = new long[(int) shape[0]][];
      int d = (int) shape[1];
      for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
