package io.alvlm.stream;

import io.alvlm.serde.RegistryHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own metrics (Prometheus names after the exporter adds units and {@code _total}):
 * {@code alvlm_images_embedded}, {@code alvlm_images_multiframe{format}}, {@code alvlm_embed_batch_size}, {@code alvlm_embed_batch_seconds},
 * {@code alvlm_embed_decode_wait_seconds},
 * {@code alvlm_pool_images{status}}, {@code alvlm_round_seconds}, {@code alvlm_round_selected},
 * {@code alvlm_labels{outcome}}, {@code alvlm_dlq_records{stage,reason}}, {@code alvlm_trainer_loss},
 * {@code alvlm_trainer_accuracy{model}}, {@code alvlm_model_version}, {@code alvlm_rounds},
 * {@code alvlm_pool_duplicates}, {@code alvlm_round_duplicate_share}, {@code alvlm_rechecks}, {@code alvlm_labels_suspect},
 * {@code alvlm_annotator_agreement{annotator}}, {@code alvlm_stop_kappa}, {@code alvlm_stop_forecast}, {@code alvlm_stop_paused},
 * {@code alvlm_registry_errors{kind}} (failed schema registry attempts, kinds of {@link RegistryHealth#KINDS}),
 * {@code alvlm_embed_batch_limit} (images the next tower call may take, {@code BatchPace}),
 * {@code alvlm_producers_fenced} (transactional producers fenced, {@link FencedProducers}),
 * {@code alvlm_stream_threads_replaced} (stream threads replaced after a failure, {@link StreamFailures}).
 */
public final class ServiceMetrics {
  private final MeterRegistry registry;
  private final Counter embedded;
  private final DistributionSummary batchSize;
  private final Timer batchTime;
  private final Timer decodeWait;
  private final Timer roundTime;
  private final DistributionSummary roundSize;
  private final Counter rounds;
  private final Timer trainTime;
  private final Timer poolStep;
  private final AtomicLong longestPoolStep = new AtomicLong();
  private final AtomicLong modelVersion = new AtomicLong(-1);
  private final AtomicLong trainingRunning = new AtomicLong();
  private final StreamThreadGaps streamThreadGaps = new StreamThreadGaps();
  private final Map<String, AtomicLong> trainerGauges = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicReference<PoolSource> poolSource =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicReference<java.util.function.IntSupplier> batchLimit =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final Counter fences;
  private final Counter threadsReplaced;

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry);
    embedded = Counter.builder("alvlm.images.embedded").description("Images embedded by the image tower").register(registry);
    batchSize = DistributionSummary.builder("alvlm.embed.batch.size").description("Images per image-tower call").register(registry);
    batchTime = Timer.builder("alvlm.embed.batch").description("Time of one image-tower call").register(registry);
    decodeWait = Timer.builder("alvlm.embed.decode.wait")
        .description("Stream-thread time waiting for a batch's images to decode (near 0: decoding keeps ahead of the tower)")
        .register(registry);
    roundTime = Timer.builder("alvlm.round").description("Time to run one query round").register(registry);
    roundSize = DistributionSummary.builder("alvlm.round.selected").description("Images requested per round").register(registry);
    rounds = Counter.builder("alvlm.rounds").description("Query rounds run").register(registry);
    trainTime = Timer.builder("alvlm.trainer.train").description("Time of one CoOp retraining").register(registry);
    poolStep = Timer.builder("alvlm.pool.step").description("Stream-thread time of one pool record or punctuation")
        .register(registry);
    registry.gauge("alvlm.model.version", modelVersion, AtomicLong::doubleValue);
    io.micrometer.core.instrument.Gauge.builder("alvlm.trainer.running", trainingRunning, AtomicLong::doubleValue)
        .description("1 while a retraining runs on the trainer's worker, else 0").register(registry);
    for (io.alvlm.selection.PoolStatus st : io.alvlm.selection.PoolStatus.values()) {
      io.micrometer.core.instrument.Gauge.builder("alvlm.pool.images", poolSource, h -> {
        PoolSource p = h.get();
        return p == null ? 0 : p.count(st);
      }).description("Images in the pool, by status").tag("status", st.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry);
    }
    io.micrometer.core.instrument.Gauge.builder("alvlm.pool.index.unfolded", poolSource, h -> {
      PoolSource p = h.get();
      return p == null ? 0 : p.unfolded();
    }).description("Pool rows not yet folded into the neighbour lists (0: the index is current)").register(registry);
    io.micrometer.core.instrument.Gauge.builder("alvlm.embed.batch.limit", batchLimit, h -> {
      java.util.function.IntSupplier l = h.get();
      return l == null ? Double.NaN : l.getAsInt();
    }).description("Images the next image-tower call may take: measured to keep a call under a quarter of the "
        + "transaction timeout, at most embed.batch.size").register(registry);
    fences = Counter.builder("alvlm.producers.fenced").description("Transactional producers fenced: their transaction "
        + "aborted by the broker (open past transaction.timeout.ms) or taken over by another instance").register(registry);
    threadsReplaced = Counter.builder("alvlm.stream.threads.replaced")
        .description("Stream threads replaced after a failure (they restart from the last commit)").register(registry);
    io.micrometer.core.instrument.Gauge.builder("alvlm.pool.index.cells", poolSource, h -> {
      PoolSource p = h.get();
      return p == null ? 0 : p.cells();
    }).description("Cells the neighbour search probes (0: exact search over the whole pool)").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Exports the registry client's failed attempts by kind. */
  public void registryHealth(RegistryHealth health) {
    for (String kind : RegistryHealth.KINDS) {
      io.micrometer.core.instrument.FunctionCounter.builder("alvlm.registry.errors", health, h -> h.errors(kind))
          .description("Failed schema registry attempts, by kind").tag("kind", kind).register(registry);
    }
  }

  /** The embedder's pace: {@code alvlm.embed.batch.limit} reads it from now on. */
  public void embedBatchLimit(java.util.function.IntSupplier limit) {
    batchLimit.set(limit);
  }

  /** A transactional producer of this instance was fenced. */
  public void fenced() {
    fences.increment();
  }

  /** Producers fenced so far. */
  public long fencedCount() {
    return (long) fences.count();
  }

  /** A stream thread that failed was replaced. */
  public void threadReplaced() {
    threadsReplaced.increment();
  }

  /** Before one image-tower call, the stream thread waited {@code nanos} for the batch's images to decode. */
  public void decodeWait(long nanos) {
    decodeWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void embedded(int images, long nanos) {
    embedded.increment(images);
    batchSize.record(images);
    batchTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One pool-task step on the stream thread (a record, or a punctuation) took {@code nanos}: the
   * {@code alvlm.pool.step} timer, and the longest since {@link #resetLongestPoolStep}.
   */
  public void poolStep(long nanos) {
    poolStep.record(nanos, TimeUnit.NANOSECONDS);
    longestPoolStep.accumulateAndGet(nanos, Math::max);
  }

  /** A record or punctuation of the embedder, pool or trainer task starts on this stream thread. */
  public void streamThreadStep() {
    streamThreadGaps.step();
  }

  /** The longest gaps between consecutive steps of each stream thread. */
  public StreamThreadGaps streamThreadGaps() {
    return streamThreadGaps;
  }

  /** A retraining started (true) or ended (false) on the trainer's worker: {@code alvlm.trainer.running}. */
  public void trainingRunning(boolean running) {
    trainingRunning.set(running ? 1 : 0);
  }

  /** The longest pool step since the last reset, in nanoseconds: the stream thread's longest stall. */
  public long longestPoolStep() {
    return longestPoolStep.get();
  }

  public void resetLongestPoolStep() {
    longestPoolStep.set(0);
  }

  /** A query round whose strategy threw; it is retried after {@code query.interval.ms}. */
  public void roundFailed() {
    Counter.builder("alvlm.rounds.failed").description("Query rounds whose selection failed").register(registry)
        .increment();
  }

  public void round(int selected, long nanos) {
    rounds.increment();
    roundSize.record(selected);
    roundTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A round's near-duplicate suppression: {@code turnedDown} picks were near-copies of a labelled, pending
   * or picked image ({@code alvlm_pool_duplicates_total}), against {@code asked} images requested; the
   * round's duplicate share is {@code turnedDown / (turnedDown + asked)} ({@code alvlm_round_duplicate_share}).
   */
  public void duplicates(int turnedDown, int asked) {
    Counter.builder("alvlm.pool.duplicates").description("Picks turned down as near-copies of a labelled, pending or picked image")
        .register(registry).increment(turnedDown);
    int proposed = turnedDown + asked;
    gauge("alvlm.round.duplicate.share", Map.of(), proposed == 0 ? 0 : (double) turnedDown / proposed);
  }

  /** {@code given} pseudo-labels given now (query.dedup.propagate), {@code held} held in all. */
  public void pseudoLabels(int given, int held) {
    Counter.builder("alvlm.pseudo.labels").description("Near-copies of answered images given their label as a pseudo-label")
        .register(registry).increment(given);
    gauge("alvlm.pseudo.labels.held", Map.of(), held);
  }

  /** A round's label audit: {@code suspects} labels were suspect and {@code issued} were asked again. */
  public void rechecks(int issued, int suspects) {
    Counter.builder("alvlm.rechecks").description("Suspect labels asked again (AnnotationRequest.reason = recheck)")
        .register(registry).increment(issued);
    gauge("alvlm.labels.suspect", Map.of(), suspects);
  }

  /** {@code annotator}'s agreement estimate: how often rechecks confirmed their labels ((agreed + 1) / (checked + 2)). */
  public void annotatorAgreement(String annotator, double estimate) {
    gauge("alvlm.annotator.agreement", Map.of("annotator", annotator), estimate);
  }

  /** The stopping rule's latest reading: kappa of consecutive models, forecast change of the next round, 1 while paused. */
  public void stopRule(double kappa, double forecast, boolean paused) {
    gauge("alvlm.stop.kappa", Map.of(), kappa);
    gauge("alvlm.stop.forecast", Map.of(), forecast);
    gauge("alvlm.stop.paused", Map.of(), paused ? 1 : 0);
  }

  public void trained(long nanos, double loss, double accuracy, double currentAccuracy) {
    trainTime.record(nanos, TimeUnit.NANOSECONDS);
    gauge("alvlm.trainer.loss", Map.of(), loss);
    gauge("alvlm.trainer.accuracy", Map.of("model", "candidate"), accuracy);
    gauge("alvlm.trainer.accuracy", Map.of("model", "current"), currentAccuracy);
  }

  /** A retraining's epoch ended (0-based {@code epoch} of {@code epochs}) with this mean training loss. */
  public void trainingEpoch(int epoch, int epochs, double loss, double accuracy) {
    gauge("alvlm.trainer.epoch", Map.of(), epoch + 1);
    gauge("alvlm.trainer.epochs", Map.of(), epochs);
    gauge("alvlm.trainer.epoch.loss", Map.of(), loss);
    gauge("alvlm.trainer.epoch.accuracy", Map.of(), accuracy);
  }

  /** A retrained model that was not published, by reason ({@code check-failed}, {@code gate}). */
  public void trainingRejected(String reason) {
    Counter.builder("alvlm.training.rejected").description("Retrained models not published, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  public void label(String outcome) {
    Counter.builder("alvlm.labels").description("Labels received, by outcome").tag("outcome", outcome)
        .register(registry).increment();
  }

  public void deadLetter(String stage, String reason) {
    Counter.builder("alvlm.dlq.records").description("Records sent to the dead-letter topic")
        .tag("stage", stage).tag("reason", reason).register(registry).increment();
  }

  /** An image with frames after the first (animated GIF/WebP, multi-page TIFF): only the first was embedded. */
  public void laterFramesDropped(io.alvlm.clip.ImageFormat format) {
    Counter.builder("alvlm.images.multiframe").description("Images with several frames of which only the first was embedded")
        .tag("format", format.toString()).register(registry).increment();
  }

  public void modelVersion(long v) {
    modelVersion.set(v);
  }

  /** Registers a pool-size gauge read from {@code source}. */
  /**
   * Binds the pool gauges ({@code alvlm.pool.images{status}}, {@code alvlm.pool.index.unfolded}) to
   * {@code source}, replacing the previous one: the gauges always read the pool task that runs now,
   * also after a task migration. {@code null} (the task closed) reads as an empty pool.
   */
  public void poolSource(PoolSource source) {
    poolSource.set(source);
  }

  /** What the pool gauges read: images per status and rows not yet folded into the neighbour lists. */
  public interface PoolSource {
    long count(io.alvlm.selection.PoolStatus status);

    long unfolded();

    /** Cells the neighbour scans probe; 0 while they are exact. */
    default long cells() {
      return 0;
    }
  }

  /** Unbinds {@code source} if it is still the bound one (a newer task may have bound itself already). */
  public void releasePoolSource(PoolSource source) {
    poolSource.compareAndSet(source, null);
  }

  private void gauge(String name, Map<String, String> tags, double value) {
    String key = name + tags;
    AtomicLong holder = trainerGauges.computeIfAbsent(key, k -> {
      AtomicLong h = new AtomicLong();
      io.micrometer.core.instrument.Gauge.Builder<AtomicLong> b = io.micrometer.core.instrument.Gauge
          .builder(name, h, x -> Double.longBitsToDouble(x.get()));
      tags.forEach(b::tag);
      b.register(registry);
      return h;
    });
    holder.set(Double.doubleToLongBits(value));
  }
}
