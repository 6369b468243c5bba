package io.alvlm.review;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Which labels a round asks again ({@code query.recheck.share}): at most {@code floor(share · budget)} of the
 * audit's suspects, most negative margin first (ties: the smaller row), among those {@code mayAsk} allows
 * (not pending, not asked too often, not already confirmed by two annotators alike). The rest of the budget
 * goes to new images.
 */
public final class Rechecks {
  private Rechecks() {}

  /** {@code share} when it is a share of the budget in [0, 1]; throws naming the setting otherwise. */
  public static double checkedShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("query.recheck.share=" + share + ": want a share of the budget in [0, 1]");
    }
    return share;
  }

  /** Rows to re-ask, in order. */
  public static int[] choose(LabelAudit.Result audit, int budget, double share, IntPredicate mayAsk) {
    checkedShare(share);
    int cap = (int) Math.floor(share * Math.max(0, budget) + 1e-9);
    if (cap == 0) return new int[0];
    int[] rows = audit.rows();
    Integer[] order = new Integer[rows.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> audit.margin()[a] != audit.margin()[b] ? Double.compare(audit.margin()[a], audit.margin()[b])
        : Integer.compare(rows[a], rows[b]));
    return Arrays.stream(order).filter(i -> audit.suspect()[i] && mayAsk.test(rows[i])).limit(cap).mapToInt(i -> rows[i])
        .toArray();
  }
}
