package io.alvlm.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PCB class balancing (Bang et al., CVPR 2024) around any strategy: the inner strategy proposes
 * {@code candidates × budget} rows (capped at the eligible count), then, budget times, the class with
 * the fewest labels so far (labelled rows plus picks of this round; ties to the smaller class) that still
 * has a candidate gets its inner-ranked first candidate, by zero-shot predicted class. Picks keep the
 * inner scores plus {@code predicted_class}. Named {@code pcb:<inner>}.
 */
public final class ClassBalancedStrategy implements Strategy {
  private final Strategy inner;
  private final int candidates;

  public ClassBalancedStrategy(Strategy inner, int candidates) {
    this.inner = Objects.requireNonNull(inner, "inner");
    if (candidates < 1) throw new IllegalArgumentException("pcb candidates must be >= 1, got " + candidates);
    this.candidates = candidates;
  }

  @Override
  public String name() {
    return "pcb:" + inner.name();
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int eligible = Pool.eligibleRows(pool).length;
    int b = Math.min(Math.max(0, budget), eligible);
    if (b == 0) return Selection.empty();
    int ask = (int) Math.min(eligible, (long) b * candidates);
    Selection proposed = inner.select(pool, ask, seed);
    long t1 = System.nanoTime();
    int classes = pool.classes(), dim = pool.dim();
    int[] counts = new int[classes];
    for (int r = 0; r < pool.rows(); r++) {
      if (pool.status()[r] == PoolStatus.LABELED && pool.labels()[r] >= 0 && pool.labels()[r] < classes) counts[pool.labels()[r]]++;
    }
    List<List<Pick>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
    Map<Integer, Integer> predicted = new HashMap<>();
    for (Pick p : proposed.picks()) {
      float[] f = pool.features().row(p.row());
      int y = argmax(ZeroShotProbabilities.ofRow(f, pool.classText(), classes, pool.logitScale()));
      predicted.put(p.row(), y);
      byClass.get(y).add(p);
    }
    int[] next = new int[classes];
    List<Pick> picks = new ArrayList<>(b);
    while (picks.size() < b) {
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (next[c] < byClass.get(c).size() && (best < 0 || counts[c] < counts[best])) best = c;
      }
      if (best < 0) break;
      Pick p = byClass.get(best).get(next[best]++);
      counts[best]++;
      Map<String, Double> sc = new HashMap<>(p.scores());
      sc.put("predicted_class", (double) best);
      picks.add(new Pick(p.row(), p.cluster(), sc));
    }
    Map<String, Double> timings = new HashMap<>(proposed.timingsMs());
    timings.put("balance", CecStrategy.ms(t1, System.nanoTime()));
    timings.put("total", CecStrategy.ms(t0, System.nanoTime()));
    return new Selection(picks, proposed.rowScores(), proposed.roundFacts(), timings, proposed.objective());
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  }
}
