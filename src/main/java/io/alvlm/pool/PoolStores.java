package io.alvlm.pool;

import io.alvlm.avro.AgreementCount;
import io.alvlm.avro.PickScores;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.StopState;
import io.alvlm.serde.SingleObjectAvroFormat;
import io.alvlm.stream.DurableStore;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The pool task's state stores, built with the serdes of the service's wire format. */
public final class PoolStores {
  public static final String POOL = "pool";
  /** The stopping rule's state ({@link StopCheck}), one record under {@link StopCheck#KEY}. */
  public static final String STOP = "stop-state";
  /** Per annotator, their rechecked labels ({@link LabelApplication}). */
  public static final String AGREEMENT = "agreement";
  /** The neighbour lists and cells ({@link NeighborStore}). */
  public static final String NEIGHBORS = "pool-neighbors";
  /** Changelog settings of the neighbour store: 64 MiB segments, compacted once a fifth is superseded. */
  static final Map<String, String> NEIGHBOR_CHANGELOG = Map.of("segment.bytes", Integer.toString(64 << 20),
      "min.cleanable.dirty.ratio", "0.2");

  private PoolStores() {}

  /**
   * The stores a preload writes ({@link PoolPreload}), each with its changelog topic's settings beyond
   * compaction: {@code pool}, {@code pool-meta} and {@code pool-neighbors}.
   */
  public static Map<String, Map<String, String>> preloaded() {
    return Map.of(POOL, Map.of(), PoolMeta.STORE, Map.of(), NeighborStore.STORE, NEIGHBOR_CHANGELOG);
  }

  /**
   * The stores, for the pool processor's supplier. The persistent ones are {@link DurableStore}s: what they
   * committed outlives a SIGKILL, so a restart after a crash restores only the changelogs' tail.
   */
  public static Set<StoreBuilder<?>> builders(Serde<PoolEntry> entries, Serde<QueryRound> rounds) {
    // in memory and never logged: the compact single-object encoding, no registry
    SingleObjectAvroFormat<PickScores> scores = new SingleObjectAvroFormat<>(PickScores.class);
    // changelogged, in the same compact encoding: internal state, read only by this task
    SingleObjectAvroFormat<StopState> stop = new SingleObjectAvroFormat<>(StopState.class);
    SingleObjectAvroFormat<AgreementCount> agreement = new SingleObjectAvroFormat<>(AgreementCount.class);
    return Set.of(
        Stores.keyValueStoreBuilder(DurableStore.supplier(POOL), Serdes.String(), entries),
        Stores.keyValueStoreBuilder(DurableStore.supplier(PoolMeta.STORE), Serdes.String(), Serdes.Long()),
        // a list is rewritten each time an arrival enters it: small segments let the broker compact the
        // superseded versions soon, so a takeover restores about one record per image, not every version
        Stores.keyValueStoreBuilder(DurableStore.supplier(NeighborStore.STORE), Serdes.Integer(), Serdes.ByteArray())
            .withLoggingEnabled(NEIGHBOR_CHANGELOG),
        Stores.keyValueStoreBuilder(DurableStore.supplier(QueryRounds.ROUNDS_STORE), Serdes.Long(), rounds),
        Stores.keyValueStoreBuilder(DurableStore.supplier(STOP), Serdes.String(), Serdes.serdeFrom(stop, stop)),
        Stores.keyValueStoreBuilder(DurableStore.supplier(AGREEMENT), Serdes.String(),
            Serdes.serdeFrom(agreement, agreement)),
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(QueryRounds.SCORES_STORE), Serdes.String(),
            Serdes.serdeFrom(scores, scores)).withLoggingDisabled());
  }
}
