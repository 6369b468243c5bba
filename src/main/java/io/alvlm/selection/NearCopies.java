package io.alvlm.selection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Near-copies in a pool at a cosine threshold ({@code query.dedup.cosine}), found without an N² pass:
 * <ul>
 *   <li>{@link #nearest} compares a few rows (a round's picks) with a set of rows (the labelled and
 *       pending ones), {@code picks × set × dim} multiply-adds in blocks;</li>
 *   <li>{@link #twins} walks the pool's maintained neighbour lists from a row outward, both ways along edges
 *       at least as similar as two copies of one source can be ({@code 2t² − 1}), and keeps the rows at or
 *       above the threshold to the source itself; a pool without lists
 *       (the offline {@code select}) scans the pool once per source instead, {@code pool × dim}.</li>
 * </ul>
 * The walk reaches a burst of copies of any size through lists of {@code k} entries as long as the burst's
 * near edges connect it; it can miss a copy that no near edge reaches, which is why a round checks each
 * pick with {@link #nearest} before it asks for it. Rows are read from the view's features (L2-normalised).
 */
public final class NearCopies {
  private static final int BLOCK = 1024;

  private final PoolView pool;
  private final double cosine;
  /** Per row, the rows whose lists hold it at or above the walk's edge similarity; built on the first walk. */
  private int[][] reverse;

  public NearCopies(PoolView pool, double cosine) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.cosine = checked(cosine);
  }

  /** {@code cosine} when it is a usable threshold (0, 1]; throws naming the setting otherwise. */
  public static double checked(double cosine) {
    if (!(cosine > 0 && cosine <= 1)) {
      throw new IllegalArgumentException("query.dedup.cosine=" + cosine + ": want a cosine similarity in (0, 1]");
    }
    return cosine;
  }

  public double cosine() {
    return cosine;
  }

  /**
   * For each of {@code queries}, its most similar row of {@code among} (itself excluded) when that row is at
   * or above the threshold, else null.
   */
  public NearCopy[] nearest(int[] queries, int[] among) {
    NearCopy[] out = new NearCopy[queries.length];
    if (queries.length == 0 || among.length == 0) return out;
    int dim = pool.dim();
    float[] q = pool.features().gather(queries);
    double[] best = new double[queries.length];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    float[] prod = new float[queries.length * BLOCK];
    for (int from = 0; from < among.length; from += BLOCK) {
      int to = Math.min(among.length, from + BLOCK);
      float[] x = pool.features().gather(java.util.Arrays.copyOfRange(among, from, to));
      int w = to - from;
      DotProducts.floats(q, 0, queries.length, x, 0, w, dim, prod);
      for (int i = 0; i < queries.length; i++) {
        for (int j = 0; j < w; j++) {
          int r = among[from + j];
          // float products err by ~dim·2⁻²⁴: re-check near the threshold in double
          if (r == queries[i] || prod[i * w + j] < cosine - 1e-4 || prod[i * w + j] <= best[i] - 1e-4) continue;
          double s = pool.features().dot(queries[i], r);
          if (s >= cosine && s > best[i]) {
            best[i] = s;
            out[i] = new NearCopy(queries[i], r, s);
          }
        }
      }
    }
    return out;
  }

  /** Row {@code row} as a near-copy of row {@code of}, or null when they are not near-copies (or the same row). */
  public NearCopy copyOf(int row, int of) {
    if (row == of) return null;
    double s = pool.features().dot(row, of);
    return s >= cosine ? new NearCopy(row, of, s) : null;
  }

  /**
   * The rows accepted by {@code wanted} that are near-copies of {@code source}, each with its similarity to
   * it: found from {@code starts} (rows whose lists to walk; {@code source} itself when it has a list) along
   * the maintained lists, or by one scan of the pool when the view has none.
   */
  public List<NearCopy> twins(int source, IntPredicate wanted, int... starts) {
    Objects.requireNonNull(wanted, "wanted");
    List<NearCopy> out = new ArrayList<>();
    if (pool.neighbors().isEmpty()) {
      for (int r = 0; r < pool.rows(); r++) {
        if (r != source && wanted.test(r)) {
          double s = pool.features().dot(r, source);
          if (s >= cosine) out.add(new NearCopy(r, source, s));
        }
      }
      return out;
    }
    NeighborLists lists = pool.neighbors().get();
    BitSet seen = new BitSet(pool.rows());
    seen.set(source);
    ArrayDeque<Integer> walk = new ArrayDeque<>();
    for (int s : starts) {
      if (s != source) {
        if (seen.get(s)) continue;
        seen.set(s);
        double sim = pool.features().dot(s, source);
        if (sim < cosine) continue;
        if (wanted.test(s)) out.add(new NearCopy(s, source, sim));
      }
      walk.add(s);
    }
    // two copies of one source can be less alike than either is to it: at worst cos(2·acos t) = 2t² − 1
    double edge = 2 * cosine * cosine - 1 - 1e-4;
    int[][] into = reverseEdges(lists, edge);
    while (!walk.isEmpty()) {
      int r = walk.poll();
      int[] nb = lists.neighbors(r);
      float[] sims = lists.similarities(r);
      int out1 = 0;
      while (out1 < nb.length && sims[out1] >= edge) out1++;
      int[] back = r < into.length && into[r] != null ? into[r] : new int[0];
      for (int j = 0; j < out1 + back.length; j++) {
        int c = j < out1 ? nb[j] : back[j - out1];
        if (c >= pool.rows() || seen.get(c)) continue;
        seen.set(c);
        double s = pool.features().dot(c, source);
        if (s < cosine) continue;
        if (wanted.test(c)) out.add(new NearCopy(c, source, s));
        walk.add(c);
      }
    }
    return out;
  }

  /**
   * The lists read backwards, near edges only: a kNN graph of short lists falls apart inside a tight burst
   * (each copy's k nearest are a few others), and walking edges both ways holds it together. One pass over
   * the lists, {@code rows × k}.
   */
  private int[][] reverseEdges(NeighborLists lists, double edge) {
    if (reverse != null) return reverse;
    int n = pool.rows();
    int[] count = new int[n];
    for (int r = 0; r < n; r++) {
      int[] nb = lists.neighbors(r);
      float[] s = lists.similarities(r);
      for (int j = 0; j < nb.length && s[j] >= edge; j++) if (nb[j] < n) count[nb[j]]++;
    }
    int[][] into = new int[n][];
    for (int r = 0; r < n; r++) if (count[r] > 0) into[r] = new int[count[r]];
    java.util.Arrays.fill(count, 0);
    for (int r = 0; r < n; r++) {
      int[] nb = lists.neighbors(r);
      float[] s = lists.similarities(r);
      for (int j = 0; j < nb.length && s[j] >= edge; j++) if (nb[j] < n) into[nb[j]][count[nb[j]]++] = r;
    }
    reverse = into;
    return into;
  }
}
