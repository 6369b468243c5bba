package io.alvlm.selection;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * One part of a {@link MaintainedNeighbors} scan: what one thread accumulates over its share of the
 * columns (a range of rows, or some of the probed cells): each query's candidates among them, and
 * the lists of those columns that the queries enter. Parts never share a column, so each list is
 * changed by one part only, in the order one thread would have changed it; the queries' candidates
 * are merged once every part is done.
 */
final class ScanPart implements CellScan.Sink {
  /** Float products err by about {@code dim · 2⁻²⁴}; candidates within this much of a threshold are re-ranked in double. */
  static final double FLOAT_SLACK = 1e-4;

  private final MaintainedNeighbors lists;
  private final FeatureRows features;
  private final IntPredicate member;
  private final int[] queries;
  final TopCandidates[] tops;
  private final boolean enter;
  private final BitSet isQuery;
  /** Rows whose lists this part changed. */
  final BitSet changed = new BitSet();
  /** Per column of the current product: a member, and the similarity a query needs to enter its list. */
  private boolean[] columnIsMember = new boolean[0];
  private double[] enterAt = new double[0];

  ScanPart(MaintainedNeighbors lists, FeatureRows features, IntPredicate member, int[] queries, int candidates,
      boolean enter, BitSet isQuery) {
    this.lists = lists;
    this.features = features;
    this.member = member;
    this.queries = queries;
    this.tops = new TopCandidates[queries.length];
    for (int i = 0; i < tops.length; i++) tops[i] = new TopCandidates(candidates);
    this.enter = enter;
    this.isQuery = isQuery;
  }

  /**
   * Takes the products {@code out} ({@code [qn, w]}, row-major) of queries {@code qi[0..qn)}
   * (indices into {@code queries}) against rows {@code cols[0..w)}.
   */
  @Override
  public void offer(int[] qi, int qn, int[] cols, int w, float[] out) {
    // per column, once: whether it is a member, and the similarity a query needs to enter its list
    if (columnIsMember.length < w) {
      columnIsMember = new boolean[w];
      enterAt = new double[w];
    }
    boolean[] ok = columnIsMember;
    for (int jj = 0; jj < w; jj++) {
      int j = cols[jj];
      ok[jj] = member.test(j);
      enterAt[jj] = ok[jj] && enter && !isQuery.get(j) ? lists.threshold(j) - FLOAT_SLACK : Double.POSITIVE_INFINITY;
    }
    // then the products row by row, as they lie: a query's threshold stays in a register
    for (int t = 0; t < qn; t++) {
      int i = qi[t];
      int q = queries[i];
      TopCandidates top = tops[i];
      double need = top.threshold() - FLOAT_SLACK;
      int base = t * w;
      for (int jj = 0; jj < w; jj++) {
        float s = out[base + jj];
        if (s >= need && ok[jj] && cols[jj] != q) {
          top.offer(cols[jj], s);
          need = top.threshold() - FLOAT_SLACK;
        }
        if (s >= enterAt[jj]) {
          int j = cols[jj];
          if (lists.insert(j, q, features.dot(j, q))) {
            changed.set(j);
            enterAt[jj] = lists.threshold(j) - FLOAT_SLACK;
          }
        }
      }
    }
  }

  /**
   * Query {@code i}'s candidates over all {@code parts}: the best {@code candidates} of their union,
   * the same set one part scanning every column keeps (a part's best hold every one of the overall best
   * it saw).
   */
  static TopCandidates merged(ScanPart[] parts, int i, int candidates) {
    if (parts.length == 1) return parts[0].tops[i];
    TopCandidates all = new TopCandidates(candidates);
    double[] scores = new double[candidates];
    for (ScanPart p : parts) {
      int[] ids = p.tops[i].sorted(scores);
      for (int m = 0; m < ids.length; m++) all.offer(ids[m], scores[m]);
    }
    return all;
  }
}
