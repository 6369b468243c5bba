package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.embedder.DecodeThreads;
import io.alvlm.embedder.EmbedProcessor;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.embedder.ImageTower;
import io.alvlm.pool.PoolMeta;
import io.alvlm.pool.PoolProcessor;
import io.alvlm.pool.QueryRounds;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.alvlm.topics.Topics;
import io.alvlm.trainer.PromptTrainer;
import io.alvlm.trainer.TrainerProcessor;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.Label;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.selection.Strategy;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
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
  public record Parts(ImageTower tower, Strategy strategy, PromptTrainer trainer, ServiceMetrics metrics,
      Executor jobs, Executor decode) {
    public Parts {
      Objects.requireNonNull(metrics, "metrics");
    }

    public Parts(ImageTower tower, Strategy strategy, PromptTrainer trainer, ServiceMetrics metrics, Executor jobs) {
      this(tower, strategy, trainer, metrics, jobs, null);
    }

    public Parts(ImageTower tower, Strategy strategy, PromptTrainer trainer, ServiceMetrics metrics) {
      this(tower, strategy, trainer, metrics, null, null);
    }

    <T> Worker<T> worker(String name) {
      return jobs == null ? Worker.onThread(name) : Worker.on(jobs);
    }
  }

  /** Changelog settings of the neighbour store: 64 MiB segments, compacted once a fifth is superseded. */
  static final Map<String, String> NEIGHBOR_CHANGELOG = Map.of("segment.bytes", Integer.toString(64 << 20),
      "min.cleanable.dirty.ratio", "0.2");

  public static Topology build(ServiceConfig config, AvroSerdes serdes, Parts parts) {
    Topics topics = new Topics(serdes);
    Serde<PromptModel> modelSerde = topics.models.valueSerde();
    Topology t = new Topology();
    StringSerializer keys = new StringSerializer();
    Serializer<io.alvlm.avro.DeadLetter> dlq = topics.dlq.valueSerde().serializer();

    t.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PoolProcessor.MODELS_STORE), Serdes.String(), modelSerde)
            .withLoggingDisabled(),
        "models-source", Serdes.String().deserializer(), modelSerde.deserializer(), topics.models.name(),
        "models-updater", latestModel());

    if (config.runs("embedder")) {
      Serde<ImageEvent> images = topics.images.valueSerde();
      t.addSource("images-source", Serdes.String().deserializer(), images.deserializer(), topics.images.name());
      Executor decode = parts.decode() != null ? parts.decode() : DecodeThreads.of(config);
      t.addProcessor("embedder", () -> new EmbedProcessor(Objects.requireNonNull(parts.tower(), "image tower"),
          ImageFetcher.from(config), decode, config.get(Settings.EMBED_BATCH), config.get(Settings.EMBED_MAX_WAIT_MS),
          parts.metrics(), images.serializer()), "images-source");
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EmbedProcessor.BUFFER_STORE),
          Serdes.String(), images), "embedder");
      t.addSink(EmbedProcessor.TO_EMBEDDINGS, topics.embeddings.name(), keys, topics.embeddings.valueSerde().serializer(), "embedder");
      t.addSink(EmbedProcessor.TO_DLQ, topics.dlq.name(), keys, dlq, "embedder");
    }

    if (config.runs("pool")) {
      Serde<Label> labels = topics.labels.valueSerde();
      Serde<ImageEmbedding> embeddings = topics.embeddings.valueSerde();
      t.addSource("embeddings-source", Serdes.String().deserializer(), embeddings.deserializer(), topics.embeddings.name());
      t.addSource("labels-source", Serdes.String().deserializer(), labels.deserializer(), topics.labels.name());
      Map<String, Serializer<?>> originals = Map.of("Label", labels.serializer(), "ImageEmbedding", embeddings.serializer());
      ProcessorSupplier<String, org.apache.avro.specific.SpecificRecord, String, Object> pool = new ProcessorSupplier<>() {
        @Override
        public org.apache.kafka.streams.processor.api.Processor<String, org.apache.avro.specific.SpecificRecord, String, Object> get() {
          return new PoolProcessor(config, new QueryRounds(Objects.requireNonNull(parts.strategy(), "strategy"), config,
              parts.metrics()), parts.metrics(), originals, parts.worker("alvlm-round-worker"),
              parts.worker("alvlm-pool-cells"), parts.worker("alvlm-pool-fold"));
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
          return Set.of(
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PoolProcessor.POOL_STORE), Serdes.String(),
                  serdes.value(PoolEntry.class)),
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PoolMeta.STORE), Serdes.String(), Serdes.Long()),
              // a list is rewritten each time an arrival enters it: small segments let the broker compact the
              // superseded versions soon, so a takeover restores about one record per image, not every version
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PoolProcessor.NEIGHBORS_STORE), Serdes.Integer(),
                  Serdes.ByteArray()).withLoggingEnabled(NEIGHBOR_CHANGELOG),
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QueryRounds.ROUNDS_STORE), Serdes.Long(),
                  topics.rounds.valueSerde()),
              Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(QueryRounds.SCORES_STORE), Serdes.String(), Serdes.String())
                  .withLoggingDisabled());
        }
      };
      t.addProcessor("pool", pool, "embeddings-source", "labels-source");
      t.addSink(QueryRounds.TO_QUERIES, topics.queries.name(), keys, topics.queries.valueSerde().serializer(), "pool");
      t.addSink(QueryRounds.TO_ROUNDS, topics.rounds.name(), keys, topics.rounds.valueSerde().serializer(), "pool");
      t.addSink(PoolProcessor.TO_TRAINING, topics.training.name(), keys, topics.training.valueSerde().serializer(), "pool");
      t.addSink(PoolProcessor.TO_DLQ, topics.dlq.name(), keys, dlq, "pool");
    }

    if (config.runs("trainer")) {
      Serde<TrainingEvent> training = topics.training.valueSerde();
      t.addSource("training-source", Serdes.String().deserializer(), training.deserializer(), topics.training.name());
      ProcessorSupplier<String, TrainingEvent, String, PromptModel> trainer = new ProcessorSupplier<>() {
        @Override
        public org.apache.kafka.streams.processor.api.Processor<String, TrainingEvent, String, PromptModel> get() {
          return new TrainerProcessor(config, Objects.requireNonNull(parts.trainer(), "prompt trainer"), parts.metrics(),
              parts.worker("alvlm-training-worker"));
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
          return Set.of(
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TrainerProcessor.LABELED_STORE), Serdes.String(), training),
              Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TrainerProcessor.META_STORE), Serdes.String(), Serdes.Long()));
        }
      };
      t.addProcessor("trainer", trainer, "training-source");
      t.addSink(TrainerProcessor.TO_MODELS, topics.models.name(), keys, modelSerde.serializer(), "trainer");
    }
    return t;
  }

  /** The global store keeps the latest model per name; versions never go back (a replayed older record is ignored). */
  private static ProcessorSupplier<String, PromptModel, Void, Void> latestModel() {
    return () -> new ContextualProcessor<>() {
      private KeyValueStore<String, PromptModel> store;

      @Override
      public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
        super.init(context);
        store = context.getStateStore(PoolProcessor.MODELS_STORE);
      }

      @Override
      public void process(Record<String, PromptModel> r) {
        if (r.key() == null) {
          return;
        }
        if (r.value() == null) {
          store.delete(r.key());
          return;
        }
        PromptModel cur = store.get(r.key());
        if (cur == null || r.value().getVersion() >= cur.getVersion()) {
          store.put(r.key(), r.value());
        }
      }
    };
  }
}
