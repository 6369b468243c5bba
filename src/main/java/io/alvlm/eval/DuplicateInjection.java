package io.alvlm.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Near-copies added to a benchmark's pool ({@code evaluate --inject-duplicates F}): {@code round(F · n)}
 * copies in bursts of {@code burst}, each burst copying one pool image drawn without replacement from the
 * injection seed, appended after the pool with the source's label. A copy is what {@link CopyMaker}
 * makes of its source: for precomputed features, the source plus Gaussian noise scaled so that the copy's
 * expected cosine to it is {@code cosine}; for images, augmented views (crops and flips) of the source image.
 * The test set is untouched.
 *
 * @param bench the benchmark with the copies in its pool
 * @param source for each pool row, the row it copies, -1 for an original
 */
public record DuplicateInjection(Benchmark bench, int[] source) {
  /** Makes the {@code index}-th copy ({@code 0 ≤ index < burst}) of pool row {@code row}. */
  public interface CopyMaker {
    float[] copy(int row, int index);
  }

  /** No copies: the benchmark as it is. */
  public static DuplicateInjection none(Benchmark b) {
    int[] s = new int[b.pool().length];
    Arrays.fill(s, -1);
    return new DuplicateInjection(b, s);
  }

  public static DuplicateInjection apply(Benchmark b, double share, int burst, long seed, CopyMaker maker) {
    if (!(share >= 0 && share <= 10)) throw new IllegalArgumentException("--inject-duplicates " + share + ": want a share in [0, 10]");
    if (burst < 1) throw new IllegalArgumentException("--duplicate-burst " + burst + ": want at least 1");
    int n = b.pool().length;
    int copies = (int) Math.round(share * n);
    if (copies == 0) return none(b);
    int sources = (copies + burst - 1) / burst;
    if (sources > n) throw new IllegalArgumentException("--inject-duplicates " + share + " with bursts of " + burst
        + " needs " + sources + " source images; the pool has " + n);
    int[] perm = io.alvlm.selection.UniformSample.rows(n, sources, new SplittableRandom(seed));
    float[][] pool = Arrays.copyOf(b.pool(), n + copies);
    int[] labels = Arrays.copyOf(b.poolLabels(), n + copies);
    int[] source = new int[n + copies];
    Arrays.fill(source, -1);
    for (int c = 0; c < copies; c++) {
      int src = perm[c / burst];
      pool[n + c] = maker.copy(src, c % burst);
      labels[n + c] = b.poolLabels()[src];
      source[n + c] = src;
    }
    Benchmark out = new Benchmark(b.name(), b.classNames(), pool, labels, b.test(), b.testLabels(), b.zeroShot(),
        b.logitScale(), b.paperDataset());
    return new DuplicateInjection(out, source);
  }

  /** Copies of precomputed features: the source plus noise of relative size {@code √(1/cosine² − 1)}. */
  public static CopyMaker noisy(float[][] pool, double cosine, long seed) {
    if (!(cosine > 0 && cosine < 1)) throw new IllegalArgumentException("--duplicate-cosine " + cosine + ": want (0, 1)");
    double rel = Math.sqrt(1 / (cosine * cosine) - 1);
    return (row, index) -> {
      float[] x = pool[row];
      double norm = 0;
      for (float v : x) norm += (double) v * v;
      double sigma = rel * Math.sqrt(norm / x.length);
      SplittableRandom r = new SplittableRandom(seed * 7_919L + row * 101L + index);
      float[] y = new float[x.length];
      for (int d = 0; d < x.length; d++) y[d] = (float) (x[d] + sigma * r.nextGaussian());
      return y;
    };
  }

  /** The family of a row: the original it copies, or itself. */
  public int family(int row) {
    return source[row] < 0 ? row : source[row];
  }

  public int copies() {
    return (int) Arrays.stream(source).filter(s -> s >= 0).count();
  }
}
