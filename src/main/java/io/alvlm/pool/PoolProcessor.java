package io.alvlm.pool;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.Label;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.RoundControl;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.PoolStatus;
import io.alvlm.stream.ModelStore;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The pool task (one partition, so one task sees every image): takes {@link ImageEmbedding}s into the
 * {@code pool} store and the in-memory {@link PoolIndex} (each at the next row, stored with it, so
 * arrival order survives restarts) and hands the rest to its parts: {@link LabelApplication} for
 * labels and expired requests, {@link NeighborMaintenance} for the neighbour lists,
 * {@link RoundDriver} for query rounds and operators' {@link RoundControl}s, {@link SlowSteps} for the stall log. Every state change goes
 * through changelogged stores in the same transaction as the outputs.
 */
public final class PoolProcessor implements Processor<String, SpecificRecord, String, Object> {
  private final ServiceConfig config;
  private final PoolParts parts;
  private final ServiceMetrics metrics;
  private final Map<String, Serializer<?>> originals;
  private final Worker<QueryRounds.Outcome> roundWorker;
  private final Worker<CellIndex> cellWorker;
  private final Worker<BitSet> foldWorker;
  private final SlowSteps steps;
  private final DeadlineQueue deadlines = new DeadlineQueue();
  private ProcessorContext<String, Object> context;
  private PoolState state;
  private PoolOutputs out;
  private LabelApplication labels;
  private NeighborMaintenance neighbors;
  private RoundDriver rounds;
  private final ServiceMetrics.PoolSource gaugeSource = new ServiceMetrics.PoolSource() {
    @Override
    public long count(PoolStatus status) {
      PoolIndex i = index();
      return i == null ? 0 : i.count(status);
    }

    @Override
    public long unfolded() {
      PoolIndex i = index();
      return i == null ? 0 : i.unfolded();
    }

    @Override
    public long cells() {
      PoolIndex i = index();
      return i == null ? 0 : i.probedCells();
    }
  };

  /**
   * @param originals serializers by input value class simple name, to re-encode refused records for the DLQ
   * @param roundWorker runs the query rounds off the stream thread, {@code cellWorker} trains cells, {@code foldWorker} folds
   */
  public PoolProcessor(ServiceConfig config, PoolParts parts, ServiceMetrics metrics, Map<String, Serializer<?>> originals,
      Worker<QueryRounds.Outcome> roundWorker, Worker<CellIndex> cellWorker, Worker<BitSet> foldWorker) {
    this.config = Objects.requireNonNull(config);
    this.parts = Objects.requireNonNull(parts);
    this.metrics = Objects.requireNonNull(metrics);
    this.originals = Map.copyOf(originals);
    this.roundWorker = Objects.requireNonNull(roundWorker);
    this.cellWorker = Objects.requireNonNull(cellWorker);
    this.foldWorker = Objects.requireNonNull(foldWorker);
    this.steps = new SlowSteps(metrics);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    state = new PoolState(context.getStateStore(PoolStores.POOL), new PoolMeta(context.getStateStore(PoolMeta.STORE)),
        config.classNames(), config.get(Settings.CEC_K), parts.neighbors(), config.get(Settings.POOL_FEATURES_PRECISION));
    out = new PoolForwarding(context, originals, metrics);
    PoolNotices notices = new PoolNotices(out);
    labels = new LabelApplication(state, deadlines, context.getStateStore(PoolStores.AGREEMENT), notices, out, metrics);
    NeighborStore neighborStore = new NeighborStore(context.getStateStore(NeighborStore.STORE));
    neighbors = new NeighborMaintenance(state::index, neighborStore, cellWorker, foldWorker,
        NeighborMaintenance.Settings.from(config, parts), steps);
    RoundSettings roundSettings = RoundSettings.from(config);
    SpendingRules spending = SpendingRules.from(config);
    QueryRounds queryRounds = new QueryRounds(parts.strategy(), spending, roundSettings, metrics, state,
        context.getStateStore(QueryRounds.ROUNDS_STORE), context.getStateStore(QueryRounds.SCORES_STORE), out);
    rounds = new RoundDriver(state, queryRounds, roundWorker,
        new ModelStore(context.getStateStore(ModelStore.NAME), config.get(Settings.MODEL_NAME)), deadlines, roundSettings,
        new StopCheck(spending.stop(), roundSettings.seed(), context.getStateStore(PoolStores.STOP), notices, metrics),
        metrics);
    PoolRestore.restore(state, neighborStore, deadlines);
    metrics.poolSource(gaugeSource);
    context.schedule(Duration.ofMillis(config.get(Settings.QUERY_TICK_MS)), PunctuationType.WALL_CLOCK_TIME,
        now -> steps.step("a punctuation", () -> tick(now)));
  }

  private PoolIndex index() {
    PoolState s = state;
    return s == null ? null : s.index();
  }

  @Override
  public void close() {
    metrics.releasePoolSource(gaugeSource);
    roundWorker.close();
    cellWorker.close();
    foldWorker.close();
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    steps.step("a record", () -> {
      SpecificRecord v = record.value();
      if (v instanceof ImageEmbedding e) {
        embedding(record.key(), e);
      } else if (v instanceof Label l) {
        labels.apply(record.key(), l, context.currentSystemTimeMs());
      } else if (v instanceof RoundControl c) {
        rounds.control(c, context.currentSystemTimeMs());
      } else {
        out.refuse(record.key(), v, "malformed-record",
            "pool got a record of unexpected type " + (v == null ? "null" : v.getClass().getSimpleName()));
      }
    });
  }

  private void embedding(String key, ImageEmbedding e) {
    if (key == null || !key.equals(e.getId())) {
      out.refuse(key, e, "malformed-record", "embedding key " + key + " differs from its id " + e.getId());
      return;
    }
    if (state.pool.get(key) != null) {
      return; // the same image offered again: the pool keeps the first, so nothing is counted twice
    }
    boolean half = e.getPrecision() == VectorPrecision.FLOAT16;
    float[] v;
    try {
      v = VectorBytes.decode(e.getVector(), e.getDim(), half);
    } catch (IllegalArgumentException ex) {
      out.refuse(key, e, "malformed-record", "embedding " + key + ": " + ex.getMessage());
      return;
    }
    PoolIndex index = state.index();
    if (index != null && index.dim() != v.length) {
      out.refuse(key, e, "dimension-mismatch", "embedding " + key + " has dim " + v.length + ", the pool holds " + index.dim()
          + " (was it embedded with another model than " + e.getModelId() + "?)");
      return;
    }
    long now = context.currentSystemTimeMs();
    index = state.index(v.length);
    int row = index.nextRow();
    PoolEntry entry = PoolCodec.arrived(e, row, now);
    steps.timed("storing the entry", () -> state.pool.put(key, entry));
    index.place(key, row, v, PoolStatus.UNLABELED, -1, null);
    state.meta.arrived();
    neighbors.arrived();
  }

  private void tick(long now) {
    steps.timed("expired deadlines", () -> labels.expire(now));
    if (state.index() == null) {
      return;
    }
    neighbors.tick();
    steps.timed("applying a round", () -> rounds.applyFinished(now));
    steps.timed("checking for a round", () -> rounds.maybeStart(now));
  }
}
