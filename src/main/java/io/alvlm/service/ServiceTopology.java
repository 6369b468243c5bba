package io.alvlm.service;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.config.Role;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.embedder.DecodeThreads;
import io.alvlm.embedder.BatchPace;
import io.alvlm.embedder.EmbedProcessor;
import io.alvlm.stream.TransactionTimeout;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.embedder.ImageTower;
import io.alvlm.pool.PoolParts;
import io.alvlm.pool.PoolProcessor;
import io.alvlm.pool.PoolSinks;
import io.alvlm.pool.PoolStores;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.stream.ModelStore;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.alvlm.topics.Topics;
import io.alvlm.trainer.PromptTrainer;
import io.alvlm.trainer.TrainerProcessor;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the service's topology for a config: the embedder, the pool and the trainer sub-topologies
 * ({@code role} picks which), and the global {@code models} store every instance reads. Tests build the
 * same topology the service runs.
 */
public final class ServiceTopology {
  private ServiceTopology() {}

  /**
   * The parts the sub-topologies run on; a part may be null when the role does not run it.
   * {@code jobs} runs the work kept off the stream threads (query rounds, retrainings): null for a
   * worker thread of each task's own (the service); tests pass an executor they drive. {@code decode}
   * fetches and decodes the embedder's images: null for {@code embed.decode.threads} threads of the
   * topology's own ({@link DecodeThreads}).
   */
  public record Parts(ImageTower tower, PoolParts pool, PromptTrainer trainer, ServiceMetrics metrics,
      Executor jobs, Executor decode) {
    public Parts {
      Objects.requireNonNull(metrics, "metrics");
    }

    public Parts(ImageTower tower, PoolParts pool, PromptTrainer trainer, ServiceMetrics metrics, Executor jobs) {
      this(tower, pool, trainer, metrics, jobs, null);
    }

    public Parts(ImageTower tower, PoolParts pool, PromptTrainer trainer, ServiceMetrics metrics) {
      this(tower, pool, trainer, metrics, null, null);
    }

    <T> Worker<T> worker(String name) {
      return jobs == null ? Worker.onThread(name) : Worker.on(jobs);
    }
  }

  public static Topology build(ServiceConfig config, AvroSerdes serdes, Parts parts) {
    Topics topics = new Topics(serdes);
    Serde<PromptModel> modelSerde = topics.models.valueSerde();
    Topology t = new Topology();
    StringSerializer keys = new StringSerializer();
    Serializer<io.alvlm.avro.DeadLetter> dlq = topics.dlq.valueSerde().serializer();

    t.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ModelStore.NAME), Serdes.String(), modelSerde)
            .withLoggingDisabled(),
        "models-source", Serdes.String().deserializer(), modelSerde.deserializer(), topics.models.name(),
        "models-updater", ModelStore.latest());

    if (config.runs(Role.EMBEDDER)) {
      Serde<ImageEvent> images = topics.images.valueSerde();
      t.addSource("images-source", Serdes.String().deserializer(), images.deserializer(), topics.images.name());
      Executor decode = parts.decode() != null ? parts.decode() : DecodeThreads.of(config);
      // one pace for the instance: it outlives a task closed after its transaction was aborted
      BatchPace pace = new BatchPace(config.get(Settings.EMBED_BATCH), TransactionTimeout.of(config));
      parts.metrics().embedBatchLimit(pace::limit);
      t.addProcessor("embedder", () -> new EmbedProcessor(Objects.requireNonNull(parts.tower(), "image tower"),
          ImageFetcher.from(config), decode, pace, config.get(Settings.EMBED_MAX_WAIT_MS),
          parts.metrics(), images.serializer()), "images-source");
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EmbedProcessor.BUFFER_STORE),
          Serdes.String(), images), "embedder");
      t.addSink(EmbedProcessor.TO_EMBEDDINGS, topics.embeddings.name(), keys, topics.embeddings.valueSerde().serializer(), "embedder");
      t.addSink(EmbedProcessor.TO_DLQ, topics.dlq.name(), keys, dlq, "embedder");
    }

    if (config.runs(Role.POOL)) {
      Serde<Label> labels = topics.labels.valueSerde();
      Serde<ImageEmbedding> embeddings = topics.embeddings.valueSerde();
      t.addSource("embeddings-source", Serdes.String().deserializer(), embeddings.deserializer(), topics.embeddings.name());
      t.addSource("labels-source", Serdes.String().deserializer(), labels.deserializer(), topics.labels.name());
      Serde<io.alvlm.avro.RoundControl> control = topics.control.valueSerde();
      t.addSource("control-source", Serdes.String().deserializer(), control.deserializer(), topics.control.name());
      Map<String, Serializer<?>> originals = Map.of("Label", labels.serializer(), "ImageEmbedding", embeddings.serializer(),
          "RoundControl", control.serializer());
      PoolParts poolParts = Objects.requireNonNull(parts.pool(), "pool parts");
      ProcessorSupplier<String, SpecificRecord, String, Object> pool = new ProcessorSupplier<>() {
        @Override
        public Processor<String, SpecificRecord, String, Object> get() {
          return new PoolProcessor(config, poolParts, parts.metrics(), originals, parts.worker("alvlm-round-worker"),
              parts.worker("alvlm-pool-cells"), parts.worker("alvlm-pool-fold"));
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
          return PoolStores.builders(serdes.value(PoolEntry.class), topics.rounds.valueSerde());
        }
      };
      t.addProcessor("pool", pool, "embeddings-source", "labels-source", "control-source");
      t.addSink(PoolSinks.TO_QUERIES, topics.queries.name(), keys, topics.queries.valueSerde().serializer(), "pool");
      t.addSink(PoolSinks.TO_ROUNDS, topics.rounds.name(), keys, topics.rounds.valueSerde().serializer(), "pool");
      t.addSink(PoolSinks.TO_NOTICES, topics.notices.name(), keys, topics.notices.valueSerde().serializer(), "pool");
      t.addSink(PoolSinks.TO_TRAINING, topics.training.name(), keys, topics.training.valueSerde().serializer(), "pool");
      t.addSink(PoolSinks.TO_DLQ, topics.dlq.name(), keys, dlq, "pool");
    }

    if (config.runs(Role.TRAINER)) {
      Serde<TrainingEvent> training = topics.training.valueSerde();
      t.addSource("training-source", Serdes.String().deserializer(), training.deserializer(), topics.training.name());
      ProcessorSupplier<String, TrainingEvent, String, PromptModel> trainer = new ProcessorSupplier<>() {
        @Override
        public Processor<String, TrainingEvent, String, PromptModel> get() {
          return new TrainerProcessor(config, Objects.requireNonNull(parts.trainer(), "prompt trainer"), parts.metrics(),
              parts.worker("alvlm-training-worker"));
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
          return TrainerProcessor.stores(training);
        }
      };
      t.addProcessor("trainer", trainer, "training-source");
      t.addSink(TrainerProcessor.TO_MODELS, topics.models.name(), keys, modelSerde.serializer(), "trainer");
    }
    return t;
  }
}
