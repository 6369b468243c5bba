package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.SplittableRandom;

/**
 * Greedy weighted k-means++ seeding (cec.md §4, with scikit-learn's local trials): the first centre is
 * drawn with probability ∝ {@code w_i}; each next one by drawing {@code 2 + ⌊ln k⌋} candidates with
 * probability ∝ {@code w_i · d_i²} ({@code d_i} the distance to the nearest centre so far) and keeping
 * the candidate that leaves the smallest weighted potential {@code Σ w_i · min(d_i², ‖x_i − c‖²)}. The
 * candidates' distances to all rows are one {@code rows × trials} product on the device per centre;
 * draws happen on the host from the potential it sends back.
 */
final class GreedySeeding {
  private final DeviceMatrix rows;
  private final RowSubset x;
  private final double[] w;
  private final double[] norms;
  private final int n;
  private final int dim;

  GreedySeeding(DeviceMatrix rows, RowSubset x, double[] w, double[] norms) {
    this.rows = rows;
    this.x = x;
    this.w = w;
    this.norms = norms;
    this.n = rows.rows;
    this.dim = rows.dim;
  }

  /** Number of candidates per centre, as scikit-learn: {@code 2 + ⌊ln k⌋}. */
  static int trials(int clusters) {
    return 2 + (int) Math.log(clusters);
  }

  /** {@code clusters} centres ({@code [clusters, dim]}), each a row of {@code x}. */
  float[] run(int clusters, SplittableRandom rnd) {
    float[] centers = new float[clusters * dim];
    int trials = trials(clusters);
    double[] cum = new double[n];
    boolean[] chosen = new boolean[n];
    try (NDManager scope = rows.compute.newScope()) {
      // column vectors made once: views taken later would land on (and keep alive in) this scope
      NDArray xnCol = rows.vector(scope, toFloats(norms)).expandDims(1);
      NDArray wdCol = rows.vector(scope, toFloats(w)).expandDims(1);
      int first = draw(cum, cumulate(w, chosen, cum), chosen, rnd);
      place(first, 0, centers, chosen);
      // d: squared distance of every row to its nearest centre so far, [rows, 1], kept on the device
      NDArray d = distances(scope, xnCol, new int[] {first});
      double[] p = new double[n];
      for (int c = 1; c < clusters; c++) {
        try (NDManager s = scope.newSubManager()) {
          NDArray weighted = d.mul(wdCol);
          weighted.attach(s);
          float[] pot = DeviceMatrix.floats(weighted);
          for (int i = 0; i < n; i++) p[i] = Math.max(0, pot[i]);
          double total = cumulate(p, chosen, cum);
          int[] cand = new int[trials];
          for (int t = 0; t < trials; t++) cand[t] = draw(cum, total, chosen, rnd);
          NDArray dc = distances(s, xnCol, cand).minimum(d);
          float[] potentials = DeviceMatrix.floats(dc.mul(wdCol).sum(new int[] {0}));
          int bestT = 0;
          for (int t = 1; t < trials; t++) if (potentials[t] < potentials[bestT]) bestT = t;
          place(cand[bestT], c, centers, chosen);
          NDArray next = dc.get(new NDIndex(":, {}:{}", bestT, bestT + 1)).duplicate();
          next.attach(scope);
          d.close();
          d = next;
        }
      }
    }
    return centers;
  }

  /** {@code [rows, ids.length]} squared distances of every row to rows {@code ids}, clamped at 0, in {@code m}. */
  private NDArray distances(NDManager m, NDArray xnCol, int[] ids) {
    NDArray c = rows.gather(m, ids);
    float[] cn = new float[ids.length];
    for (int j = 0; j < ids.length; j++) cn[j] = (float) norms[ids[j]];
    NDArray p = rows.block(m, 0, n).matMul(c.transpose());
    NDArray d = rows.vector(m, cn).expandDims(0).add(xnCol).sub(p.add(p));
    return d.maximum(rows.vector(m, new float[1]));
  }

  /** Cumulative weights of the rows not chosen into {@code cum}; returns the total. */
  private double cumulate(double[] weight, boolean[] chosen, double[] cum) {
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += chosen[i] ? 0 : weight[i];
      cum[i] = t;
    }
    return t;
  }

  private void place(int row, int slot, float[] centers, boolean[] chosen) {
    x.copyRow(row, centers, slot * dim);
    chosen[row] = true;
  }

  /**
   * A row drawn with probability ∝ its weight (cumulated in {@code cum}, {@code total}); when every
   * weight is 0 (all remaining rows coincide with centres or weigh nothing), any row not chosen yet.
   */
  private int draw(double[] cum, double total, boolean[] chosen, SplittableRandom rnd) {
    if (total > 0 && Double.isFinite(total)) {
      double u = rnd.nextDouble() * total;
      int lo = 0, hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      // rounding at the top end: step back to a row that carries weight
      while (lo > 0 && cum[lo] == (lo == 0 ? 0 : cum[lo - 1])) lo--;
      if (!chosen[lo] && cum[lo] > (lo == 0 ? 0 : cum[lo - 1])) return lo;
    }
    int free = 0;
    for (boolean b : chosen) if (!b) free++;
    int pick = rnd.nextInt(free);
    for (int i = 0; i < n; i++) {
      if (!chosen[i] && pick-- == 0) return i;
    }
    throw new IllegalStateException("no row left to seed a centre");
  }

  private static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
    return out;
  }
}
