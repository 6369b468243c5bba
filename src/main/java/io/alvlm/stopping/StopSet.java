package io.alvlm.stopping;

import io.alvlm.selection.UniformSample;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The fixed, seeded set of pool images on which consecutive models' predictions are compared
 * ({@code query.stop.set-size}): up to {@code size} rows drawn uniformly without replacement from those
 * {@code candidate} accepts (the unlabelled pool when it is drawn), ascending. Drawn once and kept: a row
 * labelled later stays in it, since the rule asks whether the models still change, not how they do on
 * what is left.
 */
public final class StopSet {
  private StopSet() {}

  public static int[] draw(int rows, IntPredicate candidate, int size, long seed) {
    if (size < 1) throw new IllegalArgumentException("query.stop.set-size=" + size + ": want at least 1");
    int[] c = java.util.stream.IntStream.range(0, rows).filter(candidate).toArray();
    int[] picked = UniformSample.rows(c.length, Math.min(size, c.length), new SplittableRandom(seed));
    int[] out = new int[picked.length];
    for (int i = 0; i < out.length; i++) out[i] = c[picked[i]];
    return out;
  }
}
