package io.alvlm.trainer;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.stream.ModelStore;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.alvlm.avro.PromptModel;
import io.alvlm.coop.TrainingCheck;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer task: keeps every labelled example in the changelogged {@code labeled-set} store,
 * retrains CoOp when {@code train.min-new-labels} new labels arrived or a round was fully answered,
 * evaluates the candidate and the current model on a held-out share of the labels (chosen by a hash
 * of the image id, so the split is stable), and publishes the candidate to {@code alvlm.models} when
 * the gate lets it through. Publishes the zero-shot model as version 0 when none exists.
 */
public final class TrainerProcessor implements Processor<String, TrainingEvent, String, PromptModel> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
  public static final String LABELED_STORE = "labeled-set";
  public static final String TO_MODELS = "to-models";

  private final ServiceConfig config;
  private final PromptTrainer trainer;
  private final ServiceMetrics metrics;
  private final List<String> classNames;
  private final String modelName;
  private ProcessorContext<String, PromptModel> context;
  private KeyValueStore<String, TrainingEvent> labeled;
  private TrainerMeta meta;
  private ModelStore models;
  private final Worker<Retraining> worker;
  /** No retraining starts before this (wall-clock ms): set after a failed one. */
  private long retryAt;
  private int failures;

  /** {@code worker} runs the retrainings off the stream thread. */
  public TrainerProcessor(ServiceConfig config, PromptTrainer trainer, ServiceMetrics metrics, Worker<Retraining> worker) {
    this.worker = Objects.requireNonNull(worker);
    this.config = Objects.requireNonNull(config);
    this.trainer = Objects.requireNonNull(trainer);
    this.metrics = Objects.requireNonNull(metrics);
    this.classNames = config.classNames();
    this.modelName = config.get(Settings.MODEL_NAME);
  }

  /** The trainer task's stores: the labelled set and its {@link TrainerMeta}. */
  public static Set<StoreBuilder<?>> stores(Serde<TrainingEvent> training) {
    return Set.of(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LABELED_STORE), Serdes.String(), training),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TrainerMeta.STORE), Serdes.String(), Serdes.Long()));
  }

  @Override
  public void init(ProcessorContext<String, PromptModel> context) {
    this.context = context;
    this.labeled = context.getStateStore(LABELED_STORE);
    this.meta = new TrainerMeta(context.getStateStore(TrainerMeta.STORE));
    this.models = new ModelStore(context.getStateStore(ModelStore.NAME), modelName);
    if (meta.wasTraining()) {
      meta.wantRetraining(); // the instance stopped mid-training: train again on the same labels
    }
    context.schedule(Duration.ofMillis(config.get(Settings.QUERY_TICK_MS)), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void close() {
    worker.close();
  }

  /** Publishes version 0 once, when neither the models topic nor this task has published one. */
  private void tick(long now) {
    metrics.streamThreadStep();
    if (models.record().isEmpty() && !meta.hasPublished()) {
      publish(trainer.zeroShot(classNames), 0, now);
    }
    applyFinishedRetraining(now);
    if (meta.retrainingWanted() && !worker.busy() && now >= retryAt) {
      startRetraining();
      applyFinishedRetraining(now); // an inline executor has finished already
    }
  }

  @Override
  public void process(Record<String, TrainingEvent> record) {
    metrics.streamThreadStep();
    TrainingEvent e = record.value();
    if (e.getType() == TrainingEventType.EXAMPLE) {
      labeled.put(e.getId(), e);
      if (meta.labelArrived() >= config.get(Settings.TRAIN_MIN_NEW)) {
        meta.wantRetraining();
      }
    } else if (e.getType() == TrainingEventType.ROUND_COMPLETE && meta.newLabels() > 0) {
      meta.wantRetraining();
    }
  }

  /** True when {@code id} belongs to the held-out share (a stable hash split). */
  boolean heldOut(String id) {
    double share = config.get(Settings.TRAIN_HOLDOUT);
    int h = id.hashCode() * 0x9E3779B1;
    return ((h >>> 8) & 0xffff) / 65536.0 < share;
  }

  /**
   * A retraining's result, computed off the stream thread: the candidate with its held-out accuracy
   * and the current model's, or the reason it failed.
   */
  public record Retraining(PromptModel candidate, PromptModel current, double candidateAccuracy, double currentAccuracy,
      long nanos, int trainLabels, int heldOutLabels, RuntimeException failure) {}

  /** Snapshots the labelled set (stream thread) and starts the retraining on the worker. */
  private void startRetraining() {
    List<float[]> trainX = new ArrayList<>();
    List<Integer> trainY = new ArrayList<>();
    List<float[]> testX = new ArrayList<>();
    List<Integer> testY = new ArrayList<>();
    try (KeyValueIterator<String, TrainingEvent> it = labeled.all()) {
      while (it.hasNext()) {
        KeyValue<String, TrainingEvent> kv = it.next();
        int y = classNames.indexOf(kv.value.getClassName());
        if (y < 0) {
          continue;
        }
        float[] x = VectorBytes.decode(kv.value.getVector(), kv.value.getDim(), false);
        if (heldOut(kv.key)) {
          testX.add(x);
          testY.add(y);
        } else {
          trainX.add(x);
          trainY.add(y);
        }
      }
    }
    meta.retrainingTaken();
    if (trainX.isEmpty()) {
      return;
    }
    meta.trainingStarted();
    PromptModel current = models.record().orElse(null);
    float[][] x = trainX.toArray(float[][]::new);
    int[] y = trainY.stream().mapToInt(i -> i).toArray();
    long deadline = System.nanoTime() + config.get(Settings.TRAIN_MAX_SECONDS) * 1_000_000_000L;
    worker.start(() -> {
      long t0 = System.nanoTime();
      metrics.trainingRunning(true);
      try {
        // a task closed meanwhile (rebalance, shutdown) stops it too: its result would never be applied
        PromptModel candidate = trainer.train(classNames, x, y, current,
            () -> worker.closed() || System.nanoTime() > deadline);
        return new Retraining(candidate, current, accuracy(candidate, testX, testY),
            current == null ? Double.NaN : accuracy(current, testX, testY), System.nanoTime() - t0, x.length,
            testX.size(), null);
      } catch (RuntimeException e) {
        return new Retraining(null, current, Double.NaN, Double.NaN, System.nanoTime() - t0, x.length, testX.size(), e);
      } finally {
        metrics.trainingRunning(false);
      }
    });
  }

  /** Publishes a finished retraining through the gate, in this punctuation's transaction; a failure keeps the current model. */
  private void applyFinishedRetraining(long now) {
    Optional<Retraining> done = worker.take();
    if (done.isEmpty()) {
      return;
    }
    Retraining r = done.get();
    meta.trainingEnded();
    if (r.failure() != null) {
      failures++;
      long backoff = Math.min(config.get(Settings.TRAIN_RETRY_MS) << Math.min(failures - 1, 10), 3_600_000L);
      retryAt = now + backoff;
      meta.wantRetraining(); // the labels that triggered it are trained on at the retry
      String reason = r.failure() instanceof TrainingCheck.Failed ? "check-failed"
          : r.failure() instanceof java.util.concurrent.CancellationException ? "timeout" : "error";
      metrics.trainingRejected(reason);
      meta.failed(reason); // recorded in the next published model's metrics
      LOG.warn("retraining on {} labels failed ({}), current model kept, retry in {} ms: {}", r.trainLabels(), reason,
          backoff, r.failure().toString());
      return;
    }
    failures = 0;
    PromptModel candidate = r.candidate();
    PromptModel current = models.record().orElse(null);
    double loss = candidate.getMetrics().getOrDefault("loss", Double.NaN);
    metrics.trained(r.nanos(), loss, r.candidateAccuracy(), r.currentAccuracy());
    boolean publish = switch (config.get(Settings.TRAIN_GATE)) {
      case ALWAYS -> true;
      case NOT_WORSE -> current == null || r.heldOutLabels() == 0
          || r.candidateAccuracy() >= r.currentAccuracy() - config.get(Settings.TRAIN_GATE_TOLERANCE);
    };
    Map<String, Double> m = new HashMap<>(candidate.getMetrics());
    m.put("heldout_accuracy", r.candidateAccuracy());
    m.put("current_accuracy", r.currentAccuracy());
    m.put("train_labels", (double) r.trainLabels());
    m.put("heldout_labels", (double) r.heldOutLabels());
    m.put("train_seconds", r.nanos() / 1e9);
    for (String reason : TrainerMeta.FAILURE_REASONS) {
      if (meta.failures(reason) > 0) {
        m.put("failures_" + reason.replace('-', '_'), (double) meta.failures(reason));
      }
    }
    candidate.setMetrics(m);
    if (publish) {
      long version = Math.max(current == null ? 0 : current.getVersion(), meta.published()) + 1;
      meta.clearFailures();
      publish(candidate, version, now);
    } else {
      metrics.trainingRejected("gate");
    }
  }

  private void publish(PromptModel m, long version, long now) {
    m.setName(modelName);
    m.setVersion(version);
    m.setCreatedAt(Instant.ofEpochMilli(now));
    meta.published(version);
    metrics.modelVersion(version);
    context.forward(new Record<>(modelName, m, now), TO_MODELS);
  }

  static double accuracy(PromptModel model, List<float[]> xs, List<Integer> ys) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    return io.alvlm.coop.PromptModel.fromAvro(model).accuracy(xs.toArray(float[][]::new),
        ys.stream().mapToInt(Integer::intValue).toArray()).top1();
  }
}
