package io.alvlm.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * CoreSet (k-center greedy) on the normalised features: starting from the LABELED and PENDING rows as
 * centres, repeatedly take the UNLABELED row farthest (squared Euclidean) from every centre. With no
 * centre at all the first row is drawn at random from the seed. Each pick's score is
 * {@code min_distance}, its squared distance to the nearest centre when picked.
 */
public final class CoreSetStrategy implements Strategy {
  private static final int BLOCK = 256;

  @Override
  public String name() {
    return "coreset";
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int[] rows = Pool.eligibleRows(pool);
    int b = Math.min(Math.max(0, budget), rows.length);
    if (b == 0) return Selection.empty();
    int dim = pool.dim();
    int[] centres = java.util.stream.IntStream.range(0, pool.rows()).filter(r -> !pool.eligible(r)).toArray();
    float[] x = pool.features().gather(rows);
    float[] c = pool.features().gather(centres);
    double[] xn = new double[rows.length];
    for (int i = 0; i < rows.length; i++) xn[i] = DotProducts.dot(x, i * dim, x, i * dim, dim);
    double[] minD = new double[rows.length];
    Arrays.fill(minD, Double.POSITIVE_INFINITY);
    if (centres.length > 0) {
      double[] cn = new double[centres.length];
      for (int j = 0; j < centres.length; j++) cn[j] = DotProducts.dot(c, j * dim, c, j * dim, dim);
      RowBlocks.forEach(rows.length, 64, (from, to) -> {
        float[] buf = new float[(to - from) * BLOCK];
        for (int c0 = 0; c0 < centres.length; c0 += BLOCK) {
          int c1 = Math.min(centres.length, c0 + BLOCK);
          DotProducts.floats(x, from, to, c, c0, c1, dim, buf);
          for (int i = from; i < to; i++) {
            for (int j = c0; j < c1; j++) {
              double d = Math.max(0, xn[i] + cn[j] - 2.0 * buf[(i - from) * (c1 - c0) + j - c0]);
              if (d < minD[i]) minD[i] = d;
            }
          }
        }
      });
    }
    boolean[] taken = new boolean[rows.length];
    List<Pick> picks = new ArrayList<>(b);
    for (int q = 0; q < b; q++) {
      int best;
      if (q == 0 && centres.length == 0) {
        best = new SplittableRandom(seed).nextInt(rows.length);
      } else {
        best = -1;
        for (int i = 0; i < rows.length; i++) {
          if (!taken[i] && (best < 0 || minD[i] > minD[best])) best = i;
        }
      }
      taken[best] = true;
      double score = minD[best];
      picks.add(new Pick(rows[best], -1, Map.of("min_distance", Double.isInfinite(score) ? -1.0 : score)));
      int pick = best;
      RowBlocks.forEach(rows.length, 4096, (from, to) -> {
        for (int i = from; i < to; i++) {
          if (taken[i]) continue;
          double d = Math.max(0, xn[i] + xn[pick] - 2 * DotProducts.dot(x, i * dim, x, pick * dim, dim));
          if (d < minD[i]) minD[i] = d;
        }
      });
    }
    return new Selection(picks, Map.of(), Map.of(), Map.of("total", CecStrategy.ms(t0, System.nanoTime())), Double.NaN);
  }
}
