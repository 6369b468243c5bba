package io.alvlm.pool;

import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.selection.NearCopies;
import io.alvlm.selection.NearCopy;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.stream.ServiceMetrics;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Label propagation ({@code query.dedup.propagate}): an unlabelled near-copy (at {@code query.dedup.cosine}) of an
 * answered image takes its class as a pseudo-label. The image leaves the unlabelled pool (LABELED, so no round asks
 * for it and the strategies count it as labelled, as {@code evaluate}'s propagate arm does), its entry names its
 * source ({@code PoolEntry.pseudoFrom}), and it follows the source's corrections. Pseudo-labels do not train:
 * docs/labels.md measured weight 1 below weight 0 on two of three sets. No N² pass: on the round worker, the
 * maintained lists are walked ({@link NearCopies#twins}) from each pick, whose copies wait with its request for the
 * answer ({@link #copiesOfPicks}), and from each copy dedup turned down for copying an answered image
 * ({@link #find}); {@link #apply} and {@link #answered} run on the stream thread.
 */
final class Propagation {
  private final PoolState state;
  private final ServiceMetrics metrics;

  Propagation(PoolState state, ServiceMetrics metrics) {
    this.state = Objects.requireNonNull(state);
    this.metrics = Objects.requireNonNull(metrics);
  }

  /**
   * On the round worker, for each of {@code picks}: its unlabelled near-copies along the lists, while its own list
   * is intact (an answered image leaves the lists' members, and its list with it), kept with its request until
   * the answer comes ({@code PoolEntry.nearCopies}).
   */
  static List<int[]> copiesOfPicks(PoolView view, double cosine, int[] picks) {
    if (view.neighbors().isEmpty()) return java.util.Collections.nCopies(picks.length, new int[0]);
    PoolStatus[] status = view.status();
    BitSet picked = new BitSet(view.rows());
    for (int p : picks) picked.set(p);
    NearCopies copies = new NearCopies(view, cosine);
    List<int[]> out = new ArrayList<>(picks.length);
    for (int p : picks) {
      out.add(copies.twins(p, r -> status[r] == PoolStatus.UNLABELED && !picked.get(r), p).stream().mapToInt(NearCopy::row).toArray());
    }
    return out;
  }

  /**
   * On the round worker: the copies dedup turned down for copying an answered image ({@code pseudo}: rows whose
   * label is a pseudo-label, which pass nothing on), each with the near-copies a walk from it finds (an image
   * answered before its copies arrived holds none of them in its list).
   */
  static List<NearCopy> find(PoolView view, double cosine, BitSet pseudo, List<NearCopy> turnedDown) {
    PoolStatus[] status = view.status();
    IntPredicate answered = r -> status[r] == PoolStatus.LABELED && view.labels()[r] >= 0 && !pseudo.get(r);
    BitSet taken = new BitSet(view.rows());
    IntPredicate free = r -> status[r] == PoolStatus.UNLABELED && !taken.get(r);
    List<NearCopy> out = new ArrayList<>();
    NearCopies copies = new NearCopies(view, cosine);
    for (NearCopy d : turnedDown) {
      if (!answered.test(d.of()) || !free.test(d.row())) continue;
      take(List.of(d), taken, out);
      if (view.neighbors().isPresent()) take(copies.twins(d.of(), free, d.row()), taken, out);
    }
    return out;
  }

  private static void take(List<NearCopy> found, BitSet taken, List<NearCopy> into) {
    for (NearCopy c : found) {
      taken.set(c.row());
      into.add(c);
    }
  }

  /** Gives each of {@code found} still unlabelled its source's current class, when the source is still answered. */
  int apply(List<NearCopy> found, PoolIndex index) {
    int given = 0;
    for (NearCopy c : found) {
      if (give(state.pool.get(index.id(c.row())), state.pool.get(index.id(c.of())), index)) given++;
    }
    metrics.pseudoLabels(given, state.pseudo.count());
    return given;
  }

  /** {@code e}, when still unlabelled, takes answered {@code source}'s class; false when either changed meanwhile. */
  private boolean give(PoolEntry e, PoolEntry source, PoolIndex index) {
    if (e == null || source == null || e.getStatus() != ImageStatus.UNLABELED || source.getStatus() != ImageStatus.LABELED
        || source.getClassName() == null || source.getPseudoFrom() != null) {
      return false; // asked, answered or changed while the worker ran
    }
    e.setStatus(ImageStatus.LABELED);
    e.setClassName(source.getClassName());
    e.setAnnotator(null);
    e.setPseudoFrom(source.getId());
    state.pool.put(e.getId(), e);
    int row = index.row(e.getId());
    index.setStatus(row, PoolStatus.LABELED, state.label(source.getClassName()));
    state.pseudo.add(row, index.row(source.getId()));
    return true;
  }

  /**
   * The image at {@code row} was answered with {@code className} (null: none of these; {@code e} not yet stored): a
   * pseudo-label of its own gives way to the answer, the near-copies found when it was asked take the class, and
   * those that took its label before follow the new class, or return to the pool without one.
   */
  void answered(PoolEntry e, int row, String className, PoolIndex index) {
    e.setPseudoFrom(null);
    state.pseudo.remove(row);
    int given = 0;
    for (String id : e.getNearCopies()) { // the near-copies found when it was asked
      if (className != null && give(state.pool.get(id), e, index)) given++;
    }
    e.setNearCopies(List.of());
    for (int copy : state.pseudo.copiesOf(row)) {
      PoolEntry c = state.pool.get(index.id(copy));
      if (className == null) {
        c.setStatus(ImageStatus.UNLABELED);
        c.setClassName(null);
        c.setPseudoFrom(null);
        state.pseudo.remove(copy);
        index.setStatus(copy, PoolStatus.UNLABELED, -1);
      } else {
        c.setClassName(className);
        index.setStatus(copy, PoolStatus.LABELED, state.label(className));
      }
      state.pool.put(c.getId(), c);
    }
    metrics.pseudoLabels(given, state.pseudo.count());
  }
}
