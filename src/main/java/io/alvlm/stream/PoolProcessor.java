package io.alvlm.stream;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.PoolStatus;
import java.time.Duration;
import java.time.Instant;
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

/**
 * The pool task (one partition, so one task sees every image): takes {@link ImageEmbedding}s into the
 * {@code pool} store and the in-memory {@link PoolIndex}, applies {@link Label}s (status changes, DLQ
 * for unknown images/classes, relabel counting, examples on to the trainer), returns unanswered
 * requests to the pool at their deadline, and opens query rounds through {@link QueryRounds} on a
 * wall-clock punctuator. Every state change goes through changelogged stores in the same transaction
 * as the outputs.
 */
public final class PoolProcessor implements Processor<String, SpecificRecord, String, Object> {
  public static final String POOL_STORE = "pool";
  public static final String MODELS_STORE = "models";
  public static final String TO_TRAINING = "to-training";
  public static final String TO_DLQ = "pool-to-dlq";
  static final int MAX_CLASS_NAME = 1000;

  private final ServiceConfig config;
  private final QueryRounds rounds;
  private final ServiceMetrics metrics;
  private final Map<String, Serializer<?>> originals;
  private final List<String> classNames;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, PoolEntry> pool;
  private KeyValueStore<String, PromptModel> models;
  private PoolMeta meta;
  private PoolIndex index;
  private final TreeMap<Long, TreeSet<String>> deadlines = new TreeMap<>();

  /** @param originals serializers by input value class simple name, to re-encode refused records for the DLQ */
  public PoolProcessor(ServiceConfig config, QueryRounds rounds, ServiceMetrics metrics, Map<String, Serializer<?>> originals) {
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
    try (KeyValueIterator<String, PoolEntry> it = pool.all()) {
      while (it.hasNext()) {
        PoolEntry e = it.next().value;
        int label = e.getClassName() == null ? -1 : classNames.indexOf(e.getClassName());
        index(e.getDim()).add(e.getId(), PoolCodec.vector(e), PoolCodec.status(e.getStatus()), label);
        if (e.getStatus() == ImageStatus.PENDING) {
          deadlines.computeIfAbsent(e.getDeadline(), d -> new TreeSet<>()).add(e.getId());
        }
      }
    }
    for (PoolStatus s : PoolStatus.values()) {
      metrics.poolGauge(s.name().toLowerCase(java.util.Locale.ROOT), this, p -> p.index == null ? 0 : p.index.count(s));
    }
    context.schedule(Duration.ofMillis(config.get(Settings.QUERY_TICK_MS)), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  private PoolIndex index(int dim) {
    if (index == null) {
      index = new PoolIndex(dim, config.get(Settings.CEC_K));
    }
    return index;
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
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
    pool.put(key, PoolEntry.newBuilder().setId(key).setUri(e.getUri()).setVector(e.getVector()).setHalf(e.getPrecision() == io.alvlm.avro.VectorPrecision.FLOAT16)
        .setDim(e.getDim()).setStatus(ImageStatus.UNLABELED).setArrivedAt(Instant.ofEpochMilli(now)).build());
    index(v.length).add(key, v, PoolStatus.UNLABELED, -1);
    meta.arrived();
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
    PromptModel m = models.get(config.get(Settings.MODEL_NAME));
    if (m == null || index == null) {
      return;
    }
    ModelView model = ModelView.of(m);
    metrics.modelVersion(model.version());
    index.rescore(model);
    String trigger = null;
    if (model.version() != meta.scoredVersion()) {
      meta.put("scoredVersion", model.version());
      if (model.version() > 0) {
        trigger = "model";
      }
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
    if (trigger != null && index.count(PoolStatus.UNLABELED) > 0) {
      List<PendingRequest> opened = rounds.run(index, model, trigger, now);
      for (PendingRequest p : opened) {
        deadlines.computeIfAbsent(p.deadline(), d -> new TreeSet<>()).add(p.id());
      }
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
