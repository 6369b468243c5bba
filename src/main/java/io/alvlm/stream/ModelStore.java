package io.alvlm.stream;

import io.alvlm.avro.PromptModel;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global {@code models} store every instance reads (from the compacted {@code alvlm.models}
 * topic): the latest {@link PromptModel} per model name. A task's view of one model name, with the
 * model decoded for scoring once per version, not at every punctuation.
 */
public final class ModelStore {
  public static final String NAME = "models";
  private final KeyValueStore<String, PromptModel> store;
  private final String modelName;
  private io.alvlm.coop.PromptModel decoded;

  public ModelStore(KeyValueStore<String, PromptModel> store, String modelName) {
    this.store = Objects.requireNonNull(store);
    this.modelName = Objects.requireNonNull(modelName);
  }

  /** The current model's record; empty before the first is published. */
  public Optional<PromptModel> record() {
    return Optional.ofNullable(store.get(modelName));
  }

  /** The current model decoded; the same instance while its version stays. */
  public Optional<io.alvlm.coop.PromptModel> current() {
    PromptModel m = store.get(modelName);
    if (m == null) {
      return Optional.empty();
    }
    if (decoded == null || decoded.version() != m.getVersion()) {
      decoded = io.alvlm.coop.PromptModel.fromAvro(m);
    }
    return Optional.of(decoded);
  }

  /** The global store's updater: keeps the latest model per name; versions never go back (a replayed older record is ignored). */
  public static ProcessorSupplier<String, PromptModel, Void, Void> latest() {
    return () -> new ContextualProcessor<>() {
      private KeyValueStore<String, PromptModel> store;

      @Override
      public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        store = context.getStateStore(NAME);
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
