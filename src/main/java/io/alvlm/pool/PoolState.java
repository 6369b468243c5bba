package io.alvlm.pool;

import io.alvlm.avro.PoolEntry;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NeighborSearch;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the pool task's parts share: the {@code pool} store (one {@link PoolEntry} per image), the
 * {@link PoolMeta} counters, the class names, the {@link PseudoLabels}, and the in-memory {@link PoolIndex}, made at the first
 * image (its width is the first embedding's).
 */
final class PoolState {
  final KeyValueStore<String, PoolEntry> pool;
  final PoolMeta meta;
  final List<String> classNames;
  /** The pseudo-labelled rows and their sources (query.dedup.propagate). */
  final PseudoLabels pseudo = new PseudoLabels();
  private final int k;
  private final NeighborSearch search;
  private final FeaturePrecision precision;
  private PoolIndex index;

  PoolState(KeyValueStore<String, PoolEntry> pool, PoolMeta meta, List<String> classNames, int k, NeighborSearch search,
      FeaturePrecision precision) {
    this.pool = Objects.requireNonNull(pool);
    this.meta = Objects.requireNonNull(meta);
    this.classNames = List.copyOf(classNames);
    this.k = k;
    this.search = Objects.requireNonNull(search);
    this.precision = Objects.requireNonNull(precision);
  }

  /** The index, made for width {@code dim} when there is none yet. */
  PoolIndex index(int dim) {
    if (index == null) {
      index = new PoolIndex(dim, k, search, precision);
    }
    return index;
  }

  /** The index; null before the first image. */
  PoolIndex index() {
    return index;
  }

  /** The class's position among the class names; -1 for none or an unknown one. */
  int label(String className) {
    return className == null ? -1 : classNames.indexOf(className);
  }

  /** The last round {@code e} was requested in; 0 when none. */
  static long lastRound(PoolEntry e) {
    return e.getRounds().isEmpty() ? 0 : e.getRounds().get(e.getRounds().size() - 1);
  }
}
