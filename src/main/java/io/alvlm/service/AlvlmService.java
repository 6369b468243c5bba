package io.alvlm.service;

import io.alvlm.config.Role;
import io.alvlm.config.ServiceConfig;
import io.alvlm.pool.PoolParts;
import io.alvlm.config.Settings;
import io.alvlm.embedder.ClipImageTower;
import io.alvlm.embedder.DecodeThreads;
import io.alvlm.embedder.ImageTower;
import io.alvlm.stream.BoundedRocksDbMemory;
import io.alvlm.stream.DeadLetterDeserializationHandler;
import io.alvlm.stream.DeadLetterProcessingHandler;
import io.alvlm.stream.FencedProducers;
import io.alvlm.stream.RestoreLog;
import io.alvlm.stream.StreamFailures;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.trainer.CoopPromptTrainer;
import io.alvlm.trainer.PromptTrainer;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Precision;
import io.alvlm.http.HttpApi;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alvlm instance: provisions the topics, loads the model for the roles that need it, runs the
 * Kafka Streams topology of {@link ServiceTopology} with exactly-once processing and the dead-letter
 * handlers, and serves the HTTP endpoints. {@link #close()} stops everything.
 */
public final class AlvlmService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlvlmService.class);
  private final KafkaStreams streams;
  private final HttpApi http;
  private final ClipModel model;
  private final PromptTrainer trainer;
  private final ImageTower tower;
  private final DecodeThreads decode;
  private final KafkaStreamsMetrics streamsMetrics;
  private final PrometheusMeterRegistry registry;
  private final ServiceMetrics metrics;
  private final ServiceView view;
  private final CompletableFuture<String> failure;
  /** Warms the registry client, then starts the streams (null: started at once, no registry). */
  private final Thread warmup;

  private AlvlmService(KafkaStreams streams, HttpApi http, ClipModel model, PromptTrainer trainer, ImageTower tower,
      DecodeThreads decode, KafkaStreamsMetrics streamsMetrics, PrometheusMeterRegistry registry, ServiceMetrics metrics,
      ServiceView view, CompletableFuture<String> failure, Thread warmup) {
    this.failure = failure;
    this.warmup = warmup;
    this.metrics = metrics;
    this.view = view;
    this.streams = streams;
    this.http = http;
    this.model = model;
    this.trainer = trainer;
    this.tower = tower;
    this.decode = decode;
    this.streamsMetrics = streamsMetrics;
    this.registry = registry;
  }

  /** The Streams configuration of a service config: EOS v2, DLQ handlers, {@code kafka.*} passed through. */
  public static Properties streamsConfig(ServiceConfig c) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.get(Settings.APPLICATION_ID));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.get(Settings.BOOTSTRAP_SERVERS));
    p.put(StreamsConfig.STATE_DIR_CONFIG, c.get(Settings.STATE_DIR));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    // transactional state stores (KIP-892): after an unclean stop under exactly-once Kafka keeps the stores instead of
    // wiping them. The pool's DurableStores, which hold only committed writes, rely on it to restore just the changelogs'
    // tail after a crash (docs/operations.md, "Restart after a crash"); kafka.enable.transactional.statestores=false
    // turns it off
    p.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
    // Kafka's max.poll.interval.ms and transaction.timeout.ms hold: rounds and retrainings run on workers
    p.put("processing.exception.handler.global.enabled", true);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    p.put(BoundedRocksDbMemory.KEY, c.get(Settings.STATE_ROCKSDB_MEMORY));
    c.withPrefix("serde.").forEach((k, v) -> p.put("serde." + k, v));
    c.withPrefix("schema.registry.").forEach((k, v) -> p.put("schema.registry." + k, v));
    p.putAll(c.withPrefix("kafka."));
    return p;
  }

  /** Admin/producer/consumer settings for clients beside Streams (same bootstrap, security). */
  public static Map<String, Object> clientConfig(ServiceConfig c) {
    Map<String, Object> m = new HashMap<>();
    m.put("bootstrap.servers", c.get(Settings.BOOTSTRAP_SERVERS));
    m.putAll(c.withPrefix("kafka."));
    return m;
  }

  public static AlvlmService start(ServiceConfig c) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    ServiceMetrics metrics = new ServiceMetrics(registry);
    AvroSerdes serdes = AvroSerdes.from(RegistryWarmup.streamThreadSettings(c));
    Reachable.checkForService(c, serdes);
    try (Admin admin = Admin.create(clientConfig(c))) {
      new TopicProvisioner(admin).ensure(TopicSpecs.from(c), c.get(Settings.TOPICS_CREATE));
    }
    boolean needsModel = c.runs(Role.EMBEDDER) || c.runs(Role.TRAINER);
    // model.dtype is the embedder's: a trainer-only instance keeps the text tower's fp32 model as it is
    ClipModel model = needsModel ? ClipModel.load(Path.of(c.get(Settings.MODEL_DIR)),
        c.runs(Role.EMBEDDER) ? c.get(Settings.MODEL_DTYPE) : Precision.FP32) : null;
    ImageTower tower = c.runs(Role.EMBEDDER) ? new ClipImageTower(model, ClipImageTower.decoder(c, metrics), false) : null;
    DecodeThreads decode = c.runs(Role.EMBEDDER) ? DecodeThreads.of(c) : null;
    PromptTrainer trainer = !c.runs(Role.TRAINER) ? null
        : c.runs(Role.EMBEDDER)
            ? CoopPromptTrainer.owning(c, ClipModel.load(Path.of(c.get(Settings.MODEL_DIR))), metrics::trainingEpoch)
        : CoopPromptTrainer.from(c, model, metrics::trainingEpoch);
    PoolParts pool = c.runs(Role.POOL) ? PoolParts.from(c) : null;
    serdes.registryHealth().ifPresent(metrics::registryHealth);
    io.alvlm.stream.SchemaVersionMeters.bind(registry, serdes.schemaVersions());
    Topology topology = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(tower, pool, trainer, metrics, null,
        decode));
    Properties props = streamsConfig(c);
    props.put(AvroSerdes.SHARED, serdes); // the dead-letter handlers use the same registry client and health
    KafkaStreams streams = new KafkaStreams(topology, props, FencedProducers.counting(metrics::fenced));
    CompletableFuture<String> failure = new CompletableFuture<>();
    streams.setUncaughtExceptionHandler(new StreamFailures(metrics::threadReplaced,
        () -> failure.complete("a stream thread failed with an error of the JVM")));
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
        failure.complete("Kafka Streams is in state " + now);
      }
    });
    streams.setGlobalStateRestoreListener(new RestoreLog());
    KafkaStreamsMetrics km = new KafkaStreamsMetrics(streams);
    km.bindTo(registry);
    Thread warmup = RegistryWarmup.thenStart(c, serdes, streams);
    HttpApi http = null;
    int port = c.get(Settings.HTTP_PORT);
    ServiceView view = new ServiceView(streams, registry, c, serdes.registryHealth().orElse(null));
    if (port >= 0) {
      http = HttpApi.start(c.get(Settings.HTTP_BIND), port, view);
    }
    return new AlvlmService(streams, http, model, trainer, tower, decode, km, registry, metrics, view, failure, warmup);
  }

  /**
   * Completes, with the reason, when the instance stops processing by itself (an error of the JVM on a
   * stream thread, Kafka Streams in ERROR): the process should then exit so that it is restarted.
   */
  public CompletableFuture<String> failure() {
    return failure;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The service's own metrics. */
  public ServiceMetrics metrics() {
    return metrics;
  }

  /** What {@code /health/ready} answers: Kafka Streams RUNNING and the pool's index not catching up. */
  public boolean ready() {
    return view.ready();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The HTTP port, or -1 when HTTP is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** Waits until the instance is RUNNING. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("service not RUNNING after " + timeout + " (state " + streams.state() + ")");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    if (warmup != null) {
      warmup.interrupt();
      try {
        warmup.join(Duration.ofSeconds(30).toMillis()); // a registry call in progress ends by its own deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    streams.close(Duration.ofSeconds(30));
    streamsMetrics.close();
    if (decode != null) {
      decode.close();
    }
    if (trainer != null) {
      trainer.close();
    }
    if (tower != null) {
      tower.close();
    }
    if (model != null) {
      model.close();
    }
  }
}
