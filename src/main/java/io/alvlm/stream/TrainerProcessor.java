package io.alvlm.stream;

import io.alvlm.avro.PromptModel;
import io.alvlm.coop.Accuracy;
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
  public static final String META_STORE = "trainer-meta";
  public static final String TO_MODELS = "to-models";

  private final ServiceConfig config;
  private final PromptTrainer trainer;
  private final ServiceMetrics metrics;
  private final List<String> classNames;
  private final String modelName;
  private ProcessorContext<String, PromptModel> context;
  private KeyValueStore<String, TrainingEvent> labeled;
  private KeyValueStore<String, Long> meta;
  private KeyValueStore<String, PromptModel> models;

  public TrainerProcessor(ServiceConfig config, PromptTrainer trainer, ServiceMetrics metrics) {
    this.config = Objects.requireNonNull(config);
    this.trainer = Objects.requireNonNull(trainer);
    this.metrics = Objects.requireNonNull(metrics);
    this.classNames = config.classNames();
    this.modelName = config.get(Settings.MODEL_NAME);
  }

  @Override
  public void init(ProcessorContext<String, PromptModel> context) {
    this.context = context;
    this.labeled = context.getStateStore(LABELED_STORE);
    this.meta = context.getStateStore(META_STORE);
    this.models = context.getStateStore(PoolProcessor.MODELS_STORE);
    context.schedule(Duration.ofMillis(config.get(Settings.QUERY_TICK_MS)), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  private long get(String k) {
    Long v = meta.get(k);
    return v == null ? 0 : v;
  }

  /** Publishes version 0 once, when neither the models topic nor this task has published one. */
  private void tick(long now) {
    if (models.get(modelName) == null && meta.get("published") == null) {
      publish(trainer.zeroShot(classNames), 0, now);
    }
    if (meta.get("retrain") != null) {
      meta.delete("retrain");
      retrain(now);
    }
  }

  @Override
  public void process(Record<String, TrainingEvent> record) {
    TrainingEvent e = record.value();
    if (e.getType() == TrainingEventType.EXAMPLE) {
      labeled.put(e.getId(), e);
      meta.put("newLabels", get("newLabels") + 1);
      if (get("newLabels") >= config.get(Settings.TRAIN_MIN_NEW)) {
        meta.put("retrain", 1L);
      }
    } else if (e.getType() == TrainingEventType.ROUND_COMPLETE && get("newLabels") > 0) {
      meta.put("retrain", 1L);
    }
  }

  /** True when {@code id} belongs to the held-out share (a stable hash split). */
  boolean heldOut(String id) {
    double share = config.get(Settings.TRAIN_HOLDOUT);
    int h = id.hashCode() * 0x9E3779B1;
    return ((h >>> 8) & 0xffff) / 65536.0 < share;
  }

  private void retrain(long now) {
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
    meta.put("newLabels", 0L);
    if (trainX.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    PromptModel candidate;
    try {
      candidate = trainer.train(classNames, trainX.toArray(float[][]::new), trainY.stream().mapToInt(i -> i).toArray());
    } catch (TrainingCheck.Failed e) {
      // the current model stays; the hash in the message lets an operator replay this training
      LOG.warn("retraining on {} labels discarded: {}", trainX.size(), e.getMessage());
      metrics.trainingRejected("check-failed");
      return;
    }
    long nanos = System.nanoTime() - t0;
    PromptModel current = models.get(modelName);
    double candAcc = accuracy(candidate, testX, testY);
    double curAcc = current == null ? Double.NaN : accuracy(current, testX, testY);
    double loss = candidate.getMetrics().getOrDefault("loss", Double.NaN);
    metrics.trained(nanos, loss, candAcc, curAcc);
    boolean publish = switch (config.get(Settings.TRAIN_GATE)) {
      case "always" -> true;
      default -> current == null || testX.isEmpty() || candAcc >= curAcc - config.get(Settings.TRAIN_GATE_TOLERANCE);
    };
    Map<String, Double> m = new HashMap<>(candidate.getMetrics());
    m.put("heldout_accuracy", candAcc);
    m.put("current_accuracy", curAcc);
    m.put("train_labels", (double) trainX.size());
    m.put("heldout_labels", (double) testX.size());
    m.put("train_seconds", nanos / 1e9);
    candidate.setMetrics(m);
    if (publish) {
      long version = Math.max(current == null ? 0 : current.getVersion(), get("published")) + 1;
      publish(candidate, version, now);
    } else {
      metrics.trainingRejected("gate");
    }
  }

  private void publish(PromptModel m, long version, long now) {
    m.setName(modelName);
    m.setVersion(version);
    m.setCreatedAt(Instant.ofEpochMilli(now));
    meta.put("published", version);
    metrics.modelVersion(version);
    context.forward(new Record<>(modelName, m, now), TO_MODELS);
  }

  static double accuracy(PromptModel model, List<float[]> xs, List<Integer> ys) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    return Accuracy.of(io.alvlm.coop.PromptModel.fromAvro(model), xs.toArray(float[][]::new),
        ys.stream().mapToInt(Integer::intValue).toArray()).top1();
  }
}
