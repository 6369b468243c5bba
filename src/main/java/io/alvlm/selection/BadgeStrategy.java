package io.alvlm.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BADGE: k-means++ seeding over gradient embeddings {@code g_i = (p_i − onehot(ŷ_i)) ⊗ f_i} of the
 * UNLABELED rows, never materialised: {@code ‖g_i − g_j‖² = ‖a_i‖²‖f_i‖² + ‖a_j‖²‖f_j‖² − 2(a_i·a_j)(f_i·f_j)}
 * with {@code a = p − onehot(ŷ)}. The first pick is the largest gradient norm, then draws ∝ d².
 * Each pick's score is {@code gradient_norm} ({@code ‖g_i‖}).
 */
public final class BadgeStrategy implements Strategy {
  @Override
  public String name() {
    return "badge";
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    long t0 = System.nanoTime();
    int[] rows = Pool.eligibleRows(pool);
    int n = rows.length;
    int b = Math.min(Math.max(0, budget), n);
    if (b == 0) return Selection.empty();
    int dim = pool.dim(), classes = pool.classes();
    float[] f = pool.features().gather(rows);
    double[] p = ZeroShotProbabilities.of(f, n, dim, pool.classText(), classes, pool.logitScale());
    float[] a = new float[n * classes];
    double[] sq = new double[n];
    for (int i = 0; i < n; i++) {
      int y = ZeroShotProbabilities.argmax(p, i, classes);
      for (int c = 0; c < classes; c++) a[i * classes + c] = (float) (p[i * classes + c] - (c == y ? 1 : 0));
      sq[i] = DotProducts.dot(a, i * classes, a, i * classes, classes) * DotProducts.dot(f, i * dim, f, i * dim, dim);
    }
    long t1 = System.nanoTime();
    double[] minD = new double[n];
    java.util.Arrays.fill(minD, Double.POSITIVE_INFINITY);
    boolean[] taken = new boolean[n];
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Pick> picks = new ArrayList<>(b);
    int pick = 0;
    for (int i = 1; i < n; i++) if (sq[i] > sq[pick]) pick = i;
    for (int q = 0; q < b; q++) {
      if (q > 0) pick = draw(minD, taken, rnd);
      taken[pick] = true;
      picks.add(new Pick(rows[pick], -1, Map.of("gradient_norm", Math.sqrt(sq[pick]))));
      int j = pick;
      RowBlocks.forEach(n, 4096, (from, to) -> {
        for (int i = from; i < to; i++) {
          if (taken[i]) continue;
          double ff = DotProducts.dot(f, i * dim, f, j * dim, dim);
          double aa = DotProducts.dot(a, i * classes, a, j * classes, classes);
          double d = Math.max(0, sq[i] + sq[j] - 2 * aa * ff);
          if (d < minD[i]) minD[i] = d;
        }
      });
    }
    return new Selection(picks, Map.of(), Map.of(),
        Map.of("scores", CecStrategy.ms(t0, t1), "total", CecStrategy.ms(t0, System.nanoTime())), Double.NaN);
  }

  private static int draw(double[] d2, boolean[] taken, SplittableRandom rnd) {
    double total = 0;
    for (int i = 0; i < d2.length; i++) if (!taken[i]) total += d2[i];
    if (total > 0 && Double.isFinite(total)) {
      double u = rnd.nextDouble() * total;
      int last = -1;
      for (int i = 0; i < d2.length; i++) {
        if (taken[i] || d2[i] <= 0) continue;
        last = i;
        u -= d2[i];
        if (u < 0) return i;
      }
      if (last >= 0) return last;
    }
    // every remaining gradient coincides with a chosen one: take the first free row
    for (int i = 0; i < d2.length; i++) if (!taken[i]) return i;
    throw new IllegalStateException("no row left");
  }
}
