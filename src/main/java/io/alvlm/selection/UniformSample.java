package io.alvlm.selection;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Uniform samples of row numbers: training on part of a large pool, a stop set, the images to copy. */
public final class UniformSample {
  private UniformSample() {}

  /** {@code size} distinct rows of {@code [0, n)}, ascending, uniformly (partial Fisher–Yates). */
  public static int[] rows(int n, int size, SplittableRandom rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    for (int i = 0; i < size; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    int[] s = Arrays.copyOf(a, size);
    Arrays.sort(s);
    return s;
  }
}
