package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.service.AlvlmService;
import io.alvlm.stream.DeadLetters;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.PoolStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool task (one partition, so one task sees every image): takes {@link ImageEmbedding}s into the
 * {@code pool} store and the in-memory {@link PoolIndex} (each at the next row, stored with it, so
 * arrival order survives restarts), applies {@link Label}s (status changes, DLQ for unknown
 * images/classes, relabel counting, examples on to the trainer), returns unanswered requests to the
 * pool at their deadline, and runs query rounds through {@link QueryRounds} on a round {@link Worker}.
 *
 * <p>The stream thread only moves records: arrivals are folded into the neighbour lists a
 * micro-batch at a time (at most {@code pool.fold.batch} arrivals and {@code pool.fold.max-work}
 * multiply-adds a job) on the fold {@link Worker}, and a later step writes the lists a job changed to
 * the changelogged {@code pool-neighbors} store, so a restart or a standby reads them back instead
 * of recomputing them. A round is planned over a snapshot once the lists are
 * current, selected on the worker, and applied in a later punctuation. Every state change goes
 * through changelogged stores in the same transaction as the outputs.
 */
public final class PoolProcessor implements Processor<String, SpecificRecord, String, Object> {
  public static final String POOL_STORE = "pool";
  public static final String MODELS_STORE = "models";
  public static final String NEIGHBORS_STORE = "pool-neighbors";
  public static final String TO_TRAINING = "to-training";
  public static final String TO_DLQ = "pool-to-dlq";
  static final int MAX_CLASS_NAME = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(PoolProcessor.class);

  private final ServiceConfig config;
  private final QueryRounds rounds;
  private final ServiceMetrics metrics;
  private final Map<String, Serializer<?>> originals;
  private final List<String> classNames;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, PoolEntry> pool;
  private KeyValueStore<String, PromptModel> models;
  private PoolMeta meta;
  private KeyValueStore<Integer, byte[]> neighborStore;
  private PoolIndex index;
  private final Worker<QueryRounds.Outcome> worker;
  /** A finished round whose picks are being read before it is applied; null when none. */
  private QueryRounds.Outcome toApply;
  /** Picks of {@link #toApply} read so far. */
  private int picksRead;
  /** Trains the cells of approximate neighbour search off the stream thread. */
  private final Worker<CellIndex> cellWorker;
  /** Folds arrivals into the neighbour lists (and files rows under cells) off the stream thread. */
  private final Worker<BitSet> foldWorker;
  private final ServiceMetrics.PoolSource gaugeSource = new ServiceMetrics.PoolSource() {
    @Override
    public long count(PoolStatus status) {
      PoolIndex i = index;
      return i == null ? 0 : i.count(status);
    }

    @Override
    public long unfolded() {
      PoolIndex i = index;
      return i == null ? 0 : i.unfolded();
    }

    @Override
    public long cells() {
      PoolIndex i = index;
      return i == null ? 0 : i.probedCells();
    }
  };
  private BlockProduct products;
  /** No round starts before this (wall-clock ms): set after a round failed. */
  private long retryAt;
  private final TreeMap<Long, TreeSet<String>> deadlines = new TreeMap<>();

  /** @param originals serializers by input value class simple name, to re-encode refused records for the DLQ */
  /** {@code worker} runs the query rounds off the stream thread, {@code cellWorker} trains cells, {@code foldWorker} folds. */
  public PoolProcessor(ServiceConfig config, QueryRounds rounds, ServiceMetrics metrics, Map<String, Serializer<?>> originals,
      Worker<QueryRounds.Outcome> worker, Worker<CellIndex> cellWorker, Worker<BitSet> foldWorker) {
    this.worker = Objects.requireNonNull(worker);
    this.cellWorker = Objects.requireNonNull(cellWorker);
    this.foldWorker = Objects.requireNonNull(foldWorker);
    this.config = Objects.requireNonNull(config);
    this.rounds = Objects.requireNonNull(rounds);
    this.metrics = Objects.requireNonNull(metrics);
    this.originals = Map.copyOf(originals);
    this.classNames = config.classNames();
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.pool = context.getStateStore(POOL_STORE);
    this.models = context.getStateStore(MODELS_STORE);
    this.meta = new PoolMeta(context.getStateStore(PoolMeta.STORE));
    rounds.init(context, pool, meta, context.getStateStore(QueryRounds.ROUNDS_STORE), context.getStateStore(QueryRounds.SCORES_STORE));
    this.neighborStore = context.getStateStore(NEIGHBORS_STORE);
    restore();
    metrics.poolSource(gaugeSource);
    context.schedule(Duration.ofMillis(config.get(Settings.QUERY_TICK_MS)), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  /**
   * Rebuilds the in-memory index from the stores: every image at its stored row, with its stored
   * neighbour list, so nothing is recomputed (one scan of each store). Images stored before rows
   * were (row -1) follow in key order and are folded in again.
   */
  private void restore() {
    long t0 = System.nanoTime();
    java.util.List<PoolEntry> unplaced = new java.util.ArrayList<>();
    Optional<CellIndex> storedCells = storedCells();
    byte[][] lists = storedLists();
    try (KeyValueIterator<String, PoolEntry> it = pool.all()) {
      while (it.hasNext()) {
        PoolEntry e = it.next().value;
        if (index == null) storedCells.ifPresent(c -> index(e.getDim()).installCells(c));
        if (e.getRow() < 0) {
          unplaced.add(e);
        } else {
          place(e, e.getRow(), e.getRow() < lists.length ? lists[e.getRow()] : null);
          if (e.getRow() < lists.length) lists[e.getRow()] = null;
        }
        if (e.getStatus() == ImageStatus.PENDING) {
          deadlines.computeIfAbsent(e.getDeadline(), d -> new TreeSet<>()).add(e.getId());
        }
      }
    }
    for (PoolEntry e : unplaced) {
      e.setRow(index(e.getDim()).nextRow());
      pool.put(e.getId(), e);
      place(e, e.getRow(), null);
    }
    if (index != null) {
      index.restored();
      LOG.info("pool restored: {} images at their rows, {} to fold into the neighbour lists, in {} ms", index.size(),
          index.unfolded(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** Every stored neighbour list by row, in one scan of the store (a lookup per image costs far more at a million). */
  private byte[][] storedLists() {
    byte[][] lists = new byte[0][];
    try (KeyValueIterator<Integer, byte[]> it = neighborStore.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        int row = kv.key;
        if (row < 0) continue; // a centroid
        if (row >= lists.length) lists = java.util.Arrays.copyOf(lists, Math.max(row + 1, lists.length + (lists.length >> 1) + 16));
        lists[row] = kv.value;
      }
    }
    return lists;
  }

  /** Key of centroid {@code c} of the neighbour cells in the neighbour store (rows are the keys >= 0). */
  private static int centroidKey(int c) {
    return -1 - c;
  }

  /** Centroids of the cells, stored under {@link #centroidKey}s of the neighbour store; empty when none were. */
  private Optional<CellIndex> storedCells() {
    return CellIndex.read(c -> neighborStore.get(centroidKey(c)));
  }

  private void place(PoolEntry e, int row, byte[] lists) {
    int label = e.getClassName() == null ? -1 : classNames.indexOf(e.getClassName());
    index(e.getDim()).place(e.getId(), row, PoolCodec.vector(e), PoolCodec.status(e.getStatus()), label, lists);
  }

  @Override
  public void close() {
    metrics.releasePoolSource(gaugeSource);
    worker.close();
    cellWorker.close();
    foldWorker.close();
  }

  private PoolIndex index(int dim) {
    if (index == null) {
      index = new PoolIndex(dim, config.get(Settings.CEC_K), AlvlmService.neighborSearch(config),
          FeaturePrecision.parse(config.get(Settings.POOL_FEATURES_PRECISION)));
    }
    return index;
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    metrics.streamThreadStep();
    long t0 = System.nanoTime();
    try {
      handle(record);
    } finally {
      stepDone("a record", t0);
    }
  }

  /** A step of the stream thread longer than this is logged with what it did. */
  private static final long SLOW_STEP_NANOS = 1_000_000_000L;
  /** What the current step did besides its record or tick (fold results written), for the slow-step log. */
  private final StringBuilder stepNote = new StringBuilder();

  /** A part of a step longer than this is named in the slow-step log. */
  private static final long NOTED_PART_NANOS = 100_000_000L;

  /** Runs {@code part} of the current step; names it and its time in the slow-step note when it took long. */
  private void timed(String what, Runnable part) {
    long t0 = System.nanoTime();
    part.run();
    long took = System.nanoTime() - t0;
    if (took > NOTED_PART_NANOS) stepNote.append(String.format("; %s %d ms", what, took / 1_000_000));
  }

  private void stepDone(String what, long t0) {
    long took = System.nanoTime() - t0;
    metrics.poolStep(took);
    if (took > SLOW_STEP_NANOS) {
      LOG.warn("slow pool step: {} took {} ms{}", what, took / 1_000_000, stepNote);
    }
    stepNote.setLength(0);
  }

  private void handle(Record<String, SpecificRecord> record) {
    SpecificRecord v = record.value();
    if (v instanceof ImageEmbedding e) {
      embedding(record.key(), e);
    } else if (v instanceof Label l) {
      label(record.key(), l);
    } else {
      refuse(record.key(), v, "malformed-record", "pool got a record of unexpected type " + (v == null ? "null" : v.getClass().getSimpleName()));
    }
  }

  private void embedding(String key, ImageEmbedding e) {
    if (key == null || !key.equals(e.getId())) {
      refuse(key, e, "malformed-record", "embedding key " + key + " differs from its id " + e.getId());
      return;
    }
    if (pool.get(key) != null) {
      return; // the same image offered again: the pool keeps the first, so nothing is counted twice
    }
    float[] v;
    try {
      v = VectorBytes.decode(e.getVector(), e.getDim(), e.getPrecision() == io.alvlm.avro.VectorPrecision.FLOAT16);
    } catch (IllegalArgumentException ex) {
      refuse(key, e, "malformed-record", "embedding " + key + ": " + ex.getMessage());
      return;
    }
    if (index != null && index.dim() != v.length) {
      refuse(key, e, "dimension-mismatch", "embedding " + key + " has dim " + v.length + ", the pool holds " + index.dim()
          + " (was it embedded with another model than " + e.getModelId() + "?)");
      return;
    }
    long now = context.currentSystemTimeMs();
    int row = index(v.length).nextRow();
    PoolEntry entry = PoolEntry.newBuilder().setId(key).setUri(e.getUri()).setVector(e.getVector())
        .setHalf(e.getPrecision() == io.alvlm.avro.VectorPrecision.FLOAT16).setDim(e.getDim()).setStatus(ImageStatus.UNLABELED)
        .setArrivedAt(Instant.ofEpochMilli(now)).setRow(row).build();
    timed("storing the entry", () -> pool.put(key, entry));
    index.place(key, row, v, PoolStatus.UNLABELED, -1, null);
    meta.arrived();
    applyFinishedFold();
    timed("cells", this::startTrainingCellsIfWanted);
    if (!foldWorker.busy() && index.unfolded() >= foldBatch()) {
      timed("starting a fold", () -> {
        installTrainedCells();
        startFold(); // a full batch waits: start it now rather than at the next tick
      });
    }
  }

  /** Newcomers per fold step: the configured batch, fewer when the pool is large (bounded work per step). */
  private int foldBatch() {
    long perRow = Math.max(1L, index.workPerFold());
    long byWork = config.get(Settings.POOL_FOLD_WORK) / perRow;
    return (int) Math.max(1, Math.min(config.get(Settings.POOL_FOLD_BATCH), byWork));
  }

  /** Starts the next bounded maintenance job of the neighbour lists on the fold worker, if there is one. */
  private void startFold() {
    index.startFold(foldBatch(), products()).ifPresent(job -> {
      foldWorker.start(job);
      applyFinishedFold(); // an inline executor has finished already
    });
  }

  /** Writes the lists a finished fold job changed to the neighbour store, in this step's transaction. */
  private void applyFinishedFold() {
    Optional<BitSet> done;
    try {
      done = foldWorker.take();
    } catch (RuntimeException e) {
      LOG.warn("folding arrivals into the neighbour lists failed; its rows wait for the next fold", e);
      index.abandonFold();
      return;
    }
    done.ifPresent(changed -> {
      long t0 = System.nanoTime();
      index.finishFold(changed).stream().forEach(r -> neighborStore.put(r, index.encodedList(r)));
      stepNote.append(String.format("; wrote %d lists of a fold job in %d ms", changed.cardinality(),
          (System.nanoTime() - t0) / 1_000_000));
    });
  }

  private BlockProduct products() {
    if (products == null) {
      // the engine loads on the fold worker at its first product, not on the stream thread
      products = BlockProduct.lazily(() -> io.alvlm.selection.Compute.of(AlvlmService.compute(config)));
    }
    return products;
  }

  private void label(String key, Label l) {
    String id = key != null ? key : l.getId();
    if (id == null || !id.equals(l.getId())) {
      reject(id, l, "malformed-record", "label key " + key + " differs from its id " + l.getId());
      return;
    }
    PoolEntry e = pool.get(id);
    if (e == null) {
      reject(id, l, "unknown-image", "label for image " + id + ", which the pool has never seen");
      return;
    }
    String cls = l.getClassName();
    if (l.getOutcome() == LabelOutcome.LABELED) {
      if (cls == null || cls.isBlank()) {
        reject(id, l, "malformed-record", "label for image " + id + " has outcome LABELED but no className");
        return;
      }
      if (cls.length() > MAX_CLASS_NAME) {
        reject(id, l, "malformed-record", "label for image " + id + ": className of " + cls.length()
            + " characters, longer than " + MAX_CLASS_NAME);
        return;
      }
      if (!classNames.contains(cls)) {
        reject(id, l, "unknown-class", "label for image " + id + ": class '" + cls + "' is not one of " + classNames);
        return;
      }
    }
    long now = context.currentSystemTimeMs();
    boolean wasPending = e.getStatus() == ImageStatus.PENDING;
    long answeredRound = wasPending && !e.getRounds().isEmpty() ? e.getRounds().get(e.getRounds().size() - 1) : 0;
    int row = index.row(id);
    switch (l.getOutcome()) {
      case LABELED -> {
        if (e.getStatus() == ImageStatus.LABELED && cls.equals(e.getClassName())) {
          metrics.label("repeat");
          return;
        }
        if (e.getStatus() == ImageStatus.LABELED) {
          e.setRelabels(e.getRelabels() + 1);
          metrics.label("relabel");
        } else {
          metrics.label("labeled");
        }
        e.setStatus(ImageStatus.LABELED);
        e.setClassName(cls);
        e.setAnnotator(l.getAnnotator());
        index.setStatus(row, PoolStatus.LABELED, classNames.indexOf(cls));
        context.forward(new Record<>(id, TrainingEvent.newBuilder().setType(TrainingEventType.EXAMPLE).setId(id).setClassName(cls)
            .setVector(VectorBytes.float32(PoolCodec.vector(e))).setDim(e.getDim()).setRound(answeredRound)
            .setAt(Instant.ofEpochMilli(now)).build(), now), TO_TRAINING);
      }
      case NONE_OF_THESE -> {
        metrics.label("none-of-these");
        e.setStatus(ImageStatus.LABELED);
        e.setClassName(null);
        e.setAnnotator(l.getAnnotator());
        index.setStatus(row, PoolStatus.LABELED, -1);
      }
      case SKIPPED -> {
        metrics.label("skipped");
        if (!wasPending) {
          return;
        }
        e.setStatus(ImageStatus.UNLABELED);
        index.setStatus(row, PoolStatus.UNLABELED, -1);
      }
      default -> throw new IllegalStateException("unhandled outcome " + l.getOutcome());
    }
    if (wasPending) {
      dropDeadline(e);
      e.setDeadline(0);
    }
    pool.put(id, e);
    if (wasPending && meta.answered(answeredRound)) {
      roundComplete(answeredRound, now);
    }
  }

  private void roundComplete(long round, long now) {
    context.forward(new Record<>("round-" + round, TrainingEvent.newBuilder().setType(TrainingEventType.ROUND_COMPLETE)
        .setId(Long.toString(round)).setRound(round).setAt(Instant.ofEpochMilli(now)).build(), now), TO_TRAINING);
  }

  private void dropDeadline(PoolEntry e) {
    TreeSet<String> ids = deadlines.get(e.getDeadline());
    if (ids != null) {
      ids.remove(e.getId());
      if (ids.isEmpty()) {
        deadlines.remove(e.getDeadline());
      }
    }
  }

  private void tick(long now) {
    metrics.streamThreadStep();
    long t0 = System.nanoTime();
    try {
      step(now);
    } finally {
      stepDone("a punctuation", t0);
    }
  }

  private void step(long now) {
    timed("expired deadlines", () -> expireDeadlines(now));
    if (index == null) {
      return;
    }
    applyFinishedFold();
    timed("cells", () -> {
      startTrainingCellsIfWanted(); // also with no arrivals, e.g. a restored pool that had no cells yet
      if (!foldWorker.busy()) {
        installTrainedCells(); // the cells change hands only while no fold job owns them
        startFold();
      }
    });
    timed("applying a round", () -> applyFinishedRound(now));
    timed("checking for a round", () -> maybeStartRound(now));
  }

  private void expireDeadlines(long now) {
    while (!deadlines.isEmpty() && deadlines.firstKey() <= now) {
      for (String id : deadlines.pollFirstEntry().getValue()) {
        PoolEntry e = pool.get(id);
        if (e == null || e.getStatus() != ImageStatus.PENDING) {
          continue;
        }
        long round = e.getRounds().isEmpty() ? 0 : e.getRounds().get(e.getRounds().size() - 1);
        e.setStatus(ImageStatus.UNLABELED);
        e.setDeadline(0);
        pool.put(id, e);
        index.setStatus(index.row(id), PoolStatus.UNLABELED, -1);
        metrics.label("expired");
        if (meta.answered(round)) {
          roundComplete(round, now);
        }
      }
    }
  }

  /** Starts a round on the worker when one is due and the pool can run it. */
  private void maybeStartRound(long now) {
    PromptModel m = models.get(config.get(Settings.MODEL_NAME));
    if (m == null) {
      return;
    }
    io.alvlm.coop.PromptModel model = io.alvlm.coop.PromptModel.fromAvro(m);
    metrics.modelVersion(model.version());
    if (model.version() != meta.scoredVersion() && model.version() == 0) {
      meta.put("scoredVersion", model.version()); // the zero-shot model opens no round of its own
    }
    String trigger = null;
    if (model.version() != meta.scoredVersion()) {
      trigger = "model";
    }
    if (trigger == null && meta.newSinceRound() >= config.get(Settings.QUERY_MIN_NEW)) {
      trigger = "min-new";
    }
    long last = meta.lastRoundAt();
    if (trigger == null && last >= 0 && now - last >= config.get(Settings.QUERY_INTERVAL_MS)) {
      trigger = "interval";
    }
    if (trigger == null && last < 0 && meta.round() == 0 && now - firstSeen(now) >= config.get(Settings.QUERY_INTERVAL_MS)) {
      trigger = "interval";
    }
    // a round waits for current lists, for the previous round, and after a failure for its retry time
    if (trigger != null && index.current() && !worker.busy() && toApply == null && now >= retryAt && index.count(PoolStatus.UNLABELED) > 0) {
      QueryRounds.Plan plan = rounds.plan(index, model, trigger);
      worker.start(plan::select);
      applyFinishedRound(now); // an inline executor has finished already
    }
  }

  /**
   * Approximate neighbours: installs the cells once the cell worker has trained them (their centroids
   * go to the neighbour store, each row's cell with its list). Only while no fold job owns the lists.
   */
  private void installTrainedCells() {
    Optional<CellIndex> trained;
    try {
      trained = cellWorker.take();
    } catch (RuntimeException e) {
      LOG.warn("training the neighbour cells failed; the lists stay exact and training is tried again", e);
      return;
    }
    if (trained.isPresent() && index.cells().isEmpty()) {
      CellIndex c = trained.get();
      for (int i = 0; i < c.cells(); i++) neighborStore.put(centroidKey(i), c.encodeCentroid(i));
      index.installCells(c);
      LOG.info("neighbour search: {} cells trained, filing {} rows into them", c.cells(), index.size());
    }
  }

  /**
   * Starts training the cells on the cell worker once the pool wants them (none installed, none
   * training or trained and waiting). Called on every arrival and punctuation, not only when the fold
   * worker is idle: while records stream in, a new fold job starts as soon as the last one is taken,
   * so a check made only at idle moments waited for the stream to stop (at a million images, 5
   * minutes of exact folding over the whole backlog first).
   */
  private void startTrainingCellsIfWanted() {
    if (!cellWorker.busy() && index.wantsCells()) {
      long seed = config.get(Settings.QUERY_SEED);
      float[] sample = index.cellTrainingSample(seed);
      var search = AlvlmService.neighborSearch(config);
      var compute = AlvlmService.compute(config);
      int dim = index.dim();
      LOG.info("neighbour search: training {} cells on {} of {} rows", search.cells(), sample.length / dim, index.size());
      index.cellsWanted(); // pool.features.precision=auto: the rows turn fp16 as the cells start training
      cellWorker.start(() -> CellIndex.train(sample, dim, search.cells(), seed, compute));
    }
  }

  /**
   * Applies the worker's round, if it finished, in this step's transaction: once every pick's pool
   * entry has been read once (warming the store's caches), each step reading
   * for at most {@code query.apply.read-ms}; a round waiting for that holds off the next one.
   */
  private void applyFinishedRound(long now) {
    if (toApply == null) {
      Optional<QueryRounds.Outcome> done;
      try {
        done = worker.take();
      } catch (RuntimeException e) {
        LOG.warn("query round failed; retrying after query.interval.ms", e);
        metrics.roundFailed();
        retryAt = now + config.get(Settings.QUERY_INTERVAL_MS);
        return;
      }
      if (done.isEmpty()) return;
      toApply = done.get();
      picksRead = 0;
    }
    picksRead = rounds.warm(toApply, index, picksRead,
        System.nanoTime() + config.get(Settings.QUERY_APPLY_READ_MS) * 1_000_000L);
    if (picksRead < toApply.selection().picks().size()) return; // the rest in the next steps
    QueryRounds.Outcome o = toApply;
    toApply = null;
    for (PendingRequest p : rounds.apply(o, index, now)) {
      deadlines.computeIfAbsent(p.deadline(), d -> new TreeSet<>()).add(p.id());
    }
  }

  private long firstSeen(long now) {
    long t = meta.get("startedAt", -1);
    if (t < 0) {
      meta.put("startedAt", now);
      return now;
    }
    return t;
  }

  private void reject(String id, Label l, String reason, String message) {
    metrics.label("rejected");
    refuse(id, l, reason, message);
  }

  @SuppressWarnings("unchecked")
  private void refuse(String id, SpecificRecord v, String reason, String message) {
    byte[] value = null;
    if (v != null) {
      Serializer<Object> s = (Serializer<Object>) originals.get(v.getClass().getSimpleName());
      if (s != null) {
        try {
          value = s.serialize(context.recordMetadata().map(m -> m.topic()).orElse(null), v);
        } catch (RuntimeException ignored) {
          // the letter still carries the reason and the offset
        }
      }
    }
    long now = context.currentSystemTimeMs();
    metrics.deadLetter("pool", reason);
    context.forward(new Record<>(id, DeadLetters.of("pool", reason, message, context.recordMetadata(), id, value, now), now), TO_DLQ);
  }

  /** An image a round sent for annotation, with its deadline. */
  record PendingRequest(String id, long deadline) {}
}
