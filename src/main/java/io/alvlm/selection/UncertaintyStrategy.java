package io.alvlm.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Top-B uncertainty sampling on zero-shot probabilities (cec.md "Baselines"): {@code entropy}
 * (uncalibrated, nats, largest first), {@code margin} (top1 − top2, smallest first) or
 * {@code least-confidence} (1 − top1, largest first). Ties go to the smaller row. Per-row scores cover
 * UNLABELED rows (NaN elsewhere) under the measure's name.
 */
public final class UncertaintyStrategy implements Strategy {
  /** The uncertainty measure; {@link #score} is larger for more uncertain rows. */
  public enum Measure {
    ENTROPY("entropy"), MARGIN("margin"), LEAST_CONFIDENCE("least-confidence");

    private final String label;

    Measure(String label) {
      this.label = label;
    }

    /** The strategy name and score key. */
    public String label() {
      return label;
    }

    double value(double[] p, int off, int classes) {
      if (this == ENTROPY) return ZeroShotProbabilities.entropy(p, off, classes);
      double first = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double v = p[off + c];
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      if (this == MARGIN) return classes < 2 ? first : first - second;
      return 1 - first;
    }

    /** Higher means more uncertain. */
    double score(double value) {
      return this == MARGIN ? -value : value;
    }
  }

  private final Measure measure;

  public UncertaintyStrategy(Measure measure) {
    this.measure = Objects.requireNonNull(measure, "measure");
  }

  @Override
  public String name() {
    return measure.label();
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int[] rows = Pool.eligibleRows(pool);
    int b = Math.min(Math.max(0, budget), rows.length);
    if (b == 0) return Selection.empty();
    int classes = pool.classes();
    double[] p = new double[rows.length * classes];
    ZeroShotProbabilities.forRows(pool, rows, 0, rows.length, p);
    double[] v = new double[rows.length];
    for (int i = 0; i < rows.length; i++) v[i] = measure.value(p, i * classes, classes);
    long t1 = System.nanoTime();
    Integer[] order = new Integer[rows.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, c) -> {
      int cmp = Double.compare(measure.score(v[c]), measure.score(v[a]));
      return cmp != 0 ? cmp : Integer.compare(a, c);
    });
    List<Pick> picks = new ArrayList<>(b);
    for (int q = 0; q < b; q++) {
      int i = order[q];
      picks.add(new Pick(rows[i], -1, Map.of(measure.label(), v[i])));
    }
    float[] byRow = CecStrategy.scatter(v, rows, pool.rows());
    return new Selection(picks, Map.of(measure.label(), byRow), Map.of(),
        Map.of("scores", CecStrategy.ms(t0, t1), "total", CecStrategy.ms(t0, System.nanoTime())), Double.NaN);
  }
}
