package io.alvlm.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Uniformly random UNLABELED rows (a seeded partial Fisher–Yates shuffle). */
public final class RandomStrategy implements Strategy {
  @Override
  public String name() {
    return "random";
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int[] rows = Pool.eligibleRows(pool);
    int b = Math.min(Math.max(0, budget), rows.length);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Pick> picks = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      int j = i + rnd.nextInt(rows.length - i);
      int t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
      picks.add(new Pick(rows[i], -1, Map.of()));
    }
    return new Selection(picks, Map.of(), Map.of(), Map.of("total", CecStrategy.ms(t0, System.nanoTime())), Double.NaN);
  }
}
