package io.alvlm.selection;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weighted k-means‖ seeding (Bahmani et al., "Scalable k-means++"): the first centre is drawn with
 * probability ∝ {@code w_i}; then, in each of {@link #ROUNDS} rounds, every row joins the candidates
 * independently with probability {@code min(1, ℓ · w_i · d_i² / Σ w · d²)} ({@code ℓ} = the number of
 * centres, {@code d_i} the distance to the nearest candidate so far). Each candidate weighs the rows
 * nearest to it, and greedy k-means++ ({@link GreedySeeding}) picks the centres among the candidates.
 *
 * <p>Why: greedy seeding on every row reads the whole matrix once per centre (a thin
 * {@code rows × trials} product a thousand times at a budget of 1,000). Here the rows are read once per
 * round, against a round's candidates together: a few wide products, which the device runs at full
 * speed; the per-centre passes run over the candidates only ({@code ≈ ROUNDS · ℓ} rows).
 */
final class OversampledSeeding {
  /** Rounds of oversampling: with {@code ℓ = K} per round this leaves about {@code 3K} candidates. */
  static final int ROUNDS = 3;
  /**
   * Rows per centre from which k-means‖ pays: below it the candidates would be a large part of the
   * rows and greedy seeding on all of them costs about the same.
   */
  static final int MIN_ROWS_PER_CENTRE = 16;
  private static final int BLOCK = 4096;

  private final DeviceMatrix rows;
  private final RowSubset x;
  private final double[] w;
  private final double[] norms;
  private final int n;
  private final int dim;

  OversampledSeeding(DeviceMatrix rows, RowSubset x, double[] w, double[] norms) {
    this.rows = rows;
    this.x = x;
    this.w = w;
    this.norms = norms;
    this.n = rows.rows;
    this.dim = rows.dim;
  }

  /** Whether k-means‖ is used to seed {@code clusters} centres on {@code rows} rows. */
  static boolean pays(int rows, int clusters) {
    return (long) rows >= (long) MIN_ROWS_PER_CENTRE * clusters && clusters > 1;
  }

  /**
   * {@code clusters} seeded centres for the rows of {@code x} (on {@code rows}): k-means‖ where it
   * {@link #pays}, else greedy k-means++ on every row.
   */
  static float[] centres(DeviceMatrix rows, RowSubset x, double[] w, double[] norms, int clusters, SplittableRandom rnd) {
    return pays(rows.rows, clusters) ? new OversampledSeeding(rows, x, w, norms).run(clusters, rnd)
        : new GreedySeeding(rows, x, w, norms).run(clusters, rnd);
  }

  /** {@code clusters} centres ({@code [clusters, dim]}), each a row of {@code x}. */
  float[] run(int clusters, SplittableRandom rnd) {
    double[] d = new double[n];
    Arrays.fill(d, Double.POSITIVE_INFINITY);
    int[] nearest = new int[n];
    int[] candidates = new int[0];
    int[] fresh = {firstRow(rnd)};
    for (int round = 0; ; round++) {
      nearer(fresh, candidates.length, d, nearest);
      candidates = concat(candidates, fresh);
      if (round == ROUNDS && candidates.length >= clusters) break;
      if (round >= 4 * ROUNDS) break; // rows left are all candidates or weigh nothing
      fresh = oversample(clusters, d, rnd);
    }
    if (candidates.length <= clusters) {
      // too few distinct weighted rows to choose from: every candidate is a centre, greedy fills the rest
      return candidates.length == clusters ? gather(candidates) : new GreedySeeding(rows, x, w, norms).run(clusters, rnd);
    }
    double[] cw = new double[candidates.length];
    for (int i = 0; i < n; i++) cw[nearest[i]] += w[i];
    float[] cx = gather(candidates);
    double[] cn = new double[candidates.length];
    for (int j = 0; j < candidates.length; j++) cn[j] = norms[candidates[j]];
    try (DeviceMatrix dc = DeviceMatrix.upload(rows.compute, cx, dim)) {
      return new GreedySeeding(dc, RowSubset.of(cx, dim), WeightedKMeans.checkedWeights(cw), cn).run(clusters, rnd);
    }
  }

  private int firstRow(SplittableRandom rnd) {
    double total = 0;
    for (double v : w) total += v;
    double u = rnd.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      u -= w[i];
      if (u < 0 && w[i] > 0) return i;
    }
    for (int i = n - 1; i >= 0; i--) if (w[i] > 0) return i;
    return 0;
  }

  /** Rows drawn independently with probability {@code min(1, ℓ · w_i · d_i² / Σ w · d²)}, ascending. */
  private int[] oversample(int clusters, double[] d, SplittableRandom rnd) {
    double phi = 0;
    for (int i = 0; i < n; i++) phi += w[i] * d[i];
    if (!(phi > 0) || !Double.isFinite(phi)) return new int[0];
    int[] out = new int[Math.min(n, 2 * clusters + 16)];
    int count = 0;
    for (int i = 0; i < n; i++) {
      double p = clusters * w[i] * d[i] / phi;
      if (p > 0 && rnd.nextDouble() < p) {
        if (count == out.length) out = Arrays.copyOf(out, Math.min(n, 2 * out.length));
        out[count++] = i;
      }
    }
    return Arrays.copyOf(out, count);
  }

  /**
   * Lowers {@code d} (squared distance to the nearest candidate) where one of {@code ids} is nearer,
   * and points {@code nearest} at it (numbered from {@code offset}): a block of rows against all of
   * {@code ids} in one product.
   */
  private void nearer(int[] ids, int offset, double[] d, int[] nearest) {
    if (ids.length == 0) return;
    rows.nearest(gather(ids), norms, BLOCK, (from, l, di) -> {
      for (int i = 0; i < l.length; i++) {
        if (di[i] < d[from + i]) {
          d[from + i] = di[i];
          nearest[from + i] = offset + l[i];
        }
      }
    });
    for (int j = 0; j < ids.length; j++) {
      // a candidate is its own nearest, whatever rounding says
      d[ids[j]] = 0;
      nearest[ids[j]] = offset + j;
    }
  }

  private float[] gather(int[] ids) {
    float[] out = new float[ids.length * dim];
    for (int j = 0; j < ids.length; j++) x.copyRow(ids[j], out, j * dim);
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
