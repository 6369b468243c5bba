package io.alvlm.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Near-duplicate suppression around any strategy ({@code query.dedup.cosine}): a round never asks for two
 * images at or above the cosine threshold, nor for a near-copy of a labelled or pending image.
 *
 * <p>Before the first pass, the near-copies of pending rows found along the neighbour lists
 * ({@link NearCopies#twins}) are set aside. Each pass runs the inner strategy with the rows set aside
 * marked PENDING (so they still count for the prior and neighbours, as pending rows do) and checks its
 * picks in order: a pick at or above the threshold to a labelled or pending row ({@link NearCopies#nearest})
 * or to a pick already taken is turned down and recorded in {@link Selection#duplicates()}, with its
 * own near-copies set aside; a pick taken sets its near-copies aside. Passes repeat for the picks still
 * missing, at most {@link #PASSES} times, so a round returns fewer than its budget only when the eligible
 * rows left are all near-copies or the passes ran out. The first pass uses the round's seed: on a pool
 * without near-copies the picks are exactly the inner strategy's. Row scores, round facts and objective
 * are the first pass's; timings add {@code dedup} (checks) and {@code dedup_passes}.
 */
public final class DeduplicatedStrategy implements Strategy {
  /** Inner passes at most per round. */
  public static final int PASSES = 16;

  private final Strategy inner;
  private final double cosine;

  public DeduplicatedStrategy(Strategy inner, double cosine) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.cosine = NearCopies.checked(cosine);
  }

  @Override
  public String name() {
    return inner.name();
  }

  public Strategy inner() {
    return inner;
  }

  public double cosine() {
    return cosine;
  }

  @Override
  public Selection select(PoolView pool, int budget, long seed) {
    Objects.requireNonNull(pool, "pool");
    if (budget <= 0) return Selection.empty();
    long t0 = System.nanoTime();
    NearCopies copies = new NearCopies(pool, cosine);
    PoolStatus[] status = pool.status().clone();
    int[] held = java.util.stream.IntStream.range(0, pool.rows()).filter(r -> status[r] != PoolStatus.UNLABELED).toArray();
    if (pool.neighbors().isPresent()) {
      for (int r : held) {
        if (status[r] == PoolStatus.PENDING) setAside(copies.twins(r, row -> status[row] == PoolStatus.UNLABELED, r), status);
      }
    }
    List<Pick> picks = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    List<NearCopy> turnedDown = new ArrayList<>();
    Selection first = null;
    double innerMs = 0;
    int passes = 0;
    while (picks.size() < budget && passes < PASSES) {
      long p0 = System.nanoTime();
      Selection sel = inner.select(pool.withStatus(status.clone()), budget - picks.size(), seed + 7919L * passes);
      innerMs += CecStrategy.ms(p0, System.nanoTime());
      passes++;
      if (first == null) first = sel;
      if (sel.picks().isEmpty()) break;
      NearCopy[] known = copies.nearest(sel.rows(), held);
      for (int q = 0; q < known.length; q++) {
        Pick p = sel.picks().get(q);
        int r = p.row();
        status[r] = PoolStatus.PENDING;
        NearCopy dup = known[q] != null ? known[q] : copyOfTaken(copies, r, taken);
        if (dup != null) {
          turnedDown.add(dup);
          setAside(copies.twins(dup.of(), row -> status[row] == PoolStatus.UNLABELED, r), status);
        } else {
          picks.add(p);
          taken.add(r);
          setAside(copies.twins(r, row -> status[row] == PoolStatus.UNLABELED, r), status);
        }
      }
    }
    Map<String, Double> timings = new HashMap<>(first.timingsMs());
    double total = CecStrategy.ms(t0, System.nanoTime());
    timings.put("dedup", total - innerMs);
    timings.put("dedup_passes", (double) passes);
    timings.put("total", total);
    return new Selection(picks, first.rowScores(), first.roundFacts(), timings, first.objective(), turnedDown);
  }

  private static NearCopy copyOfTaken(NearCopies copies, int row, List<Integer> taken) {
    for (int t : taken) {
      NearCopy c = copies.copyOf(row, t);
      if (c != null) return c;
    }
    return null;
  }

  private static void setAside(List<NearCopy> twins, PoolStatus[] status) {
    for (NearCopy c : twins) status[c.row()] = PoolStatus.PENDING;
  }
}
