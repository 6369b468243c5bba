package io.alvlm.pool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's pseudo-labelled rows ({@code query.dedup.propagate}) and, per labelled source row, the near-copies
 * that took its label, so a correction of the source reaches them. In memory on the stream thread, rebuilt at a
 * restart from the entries' {@code pseudoFrom}; the entries are the record.
 */
final class PseudoLabels {
  private final BitSet rows = new BitSet();
  private final Map<Integer, List<Integer>> bySource = new HashMap<>();
  private final Map<Integer, Integer> sourceOf = new HashMap<>();

  void add(int copy, int source) {
    remove(copy);
    rows.set(copy);
    sourceOf.put(copy, source);
    bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(copy);
  }

  /** Forgets {@code copy}'s pseudo-label (it was answered, or its source lost its label). */
  void remove(int copy) {
    Integer source = sourceOf.remove(copy);
    if (source == null) return;
    rows.clear(copy);
    List<Integer> copies = bySource.get(source);
    copies.remove(Integer.valueOf(copy));
    if (copies.isEmpty()) bySource.remove(source);
  }

  /** The rows that took {@code source}'s label. */
  List<Integer> copiesOf(int source) {
    return List.copyOf(bySource.getOrDefault(source, List.of()));
  }

  boolean contains(int row) {
    return rows.get(row);
  }

  int count() {
    return rows.cardinality();
  }

  /** The pseudo-labelled rows now, for a round's worker. */
  BitSet rows() {
    return (BitSet) rows.clone();
  }
}
