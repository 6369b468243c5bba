package io.alvlm.service;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.avro.PickScores;
import io.alvlm.pool.PoolStores;
import io.alvlm.stream.ModelStore;
import io.alvlm.pool.QueryRounds;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.http.HttpApi;
import io.alvlm.serde.RegistryHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The HTTP endpoints' view of one running instance, through Kafka Streams interactive queries. */
final class ServiceView implements HttpApi.View {
  private static final int RECENT_ROUNDS = 50;
  private final KafkaStreams streams;
  private final PrometheusMeterRegistry registry;
  private final ServiceConfig config;
  private final Optional<RegistryHealth> schemaRegistry;

  /** @param schemaRegistry the registry client's health, or null without a registry */
  ServiceView(KafkaStreams streams, PrometheusMeterRegistry registry, ServiceConfig config, RegistryHealth schemaRegistry) {
    this.streams = streams;
    this.registry = registry;
    this.config = config;
    this.schemaRegistry = Optional.ofNullable(schemaRegistry);
  }

  private <V> ReadOnlyKeyValueStore<Object, V> store(String name) {
    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Object, V>keyValueStore()));
  }

  @Override
  public String metrics() {
    return registry.scrape();
  }

  @Override
  public boolean live() {
    KafkaStreams.State s = streams.state();
    return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR && s != KafkaStreams.State.NOT_RUNNING;
  }

  @Override
  public boolean ready() {
    // while the registry does not answer, records wait in the stream threads: not ready, though alive
    return streams.state() == KafkaStreams.State.RUNNING && !indexCatchingUp()
        && schemaRegistry.map(RegistryHealth::answering).orElse(true);
  }

  /** True while the pool's neighbour lists are more than one fold batch behind the arrivals (after a restore, a burst). */
  private boolean indexCatchingUp() {
    var g = registry.find("alvlm.pool.index.unfolded").gauge();
    return g != null && g.value() > config.get(Settings.POOL_FOLD_BATCH);
  }

  @Override
  public Map<String, Object> pool() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String status : List.of("unlabeled", "pending", "labeled")) {
      var g = registry.find("alvlm.pool.images").tag("status", status).gauge();
      out.put(status, g == null ? 0 : (long) g.value());
    }
    var u = registry.find("alvlm.pool.index.unfolded").gauge();
    long unfolded = u == null ? 0 : (long) u.value();
    out.put("index", unfolded == 0 ? "current" : "catching-up");
    out.put("unfolded", unfolded);
    var c = registry.find("alvlm.pool.index.cells").gauge();
    long cells = c == null ? 0 : (long) c.value();
    out.put("neighbors", cells == 0 ? "exact" : "approximate (" + cells + " cells)");
    var r = registry.find("alvlm.rounds").counter();
    out.put("rounds", r == null ? 0 : (long) r.count());
    return out;
  }

  @Override
  public Optional<Map<String, Object>> image(String id) {
    PoolEntry e = this.<PoolEntry>store(PoolStores.POOL).get(id);
    if (e == null) {
      return Optional.empty();
    }
    Map<String, Object> out = entry(e);
    PickScores scores = this.<PickScores>store(QueryRounds.SCORES_STORE).get(id);
    if (scores != null) {
      Map<String, Object> parts = new LinkedHashMap<>();
      parts.put("round", scores.getRound());
      parts.put("model_version", scores.getModelVersion());
      parts.putAll(new java.util.TreeMap<>(scores.getParts()));
      out.put("scores", parts);
    }
    return Optional.of(out);
  }

  /** What {@code /images/{id}} says of a pool entry, before its scores. */
  static Map<String, Object> entry(PoolEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.getId());
    out.put("status", e.getStatus().name());
    out.put("uri", e.getUri());
    out.put("label", e.getClassName());
    out.put("annotator", e.getAnnotator());
    out.put("relabels", e.getRelabels());
    if (e.getPseudoFrom() != null) { // a near-copy's pseudo-label (query.dedup.propagate): not an answer, not trained on
      out.put("pseudoLabel", Map.of("class", e.getClassName(), "from", e.getPseudoFrom()));
    }
    out.put("rounds", e.getRounds());
    out.put("queryId", e.getQueryId());
    if (e.getDeadline() > 0) {
      out.put("deadline", e.getDeadline());
    }
    return out;
  }

  @Override
  public Object rounds() {
    List<Map<String, Object>> out = new ArrayList<>();
    try (KeyValueIterator<Object, QueryRound> it = this.<QueryRound>store(QueryRounds.ROUNDS_STORE).reverseAll()) {
      while (it.hasNext() && out.size() < RECENT_ROUNDS) {
        KeyValue<Object, QueryRound> kv = it.next();
        QueryRound q = kv.value;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", q.getRound());
        m.put("strategy", q.getStrategy());
        m.put("trigger", q.getTrigger());
        m.put("budget", q.getBudget());
        m.put("selected", q.getSelected());
        m.put("duplicates", q.getDuplicates());
        m.put("rechecks", q.getRechecks());
        m.put("stopKappa", q.getStopKappa());
        m.put("stopForecast", q.getStopForecast());
        m.put("unlabeled", q.getUnlabeled());
        m.put("pending", q.getPending());
        m.put("labeled", q.getLabeled());
        m.put("modelVersion", q.getModelVersion());
        m.put("timingsMs", q.getTimingsMs());
        m.put("openedAt", q.getOpenedAt().toEpochMilli());
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public Optional<Map<String, Object>> model() {
    PromptModel m = this.<PromptModel>store(ModelStore.NAME).get(config.get(Settings.MODEL_NAME));
    if (m == null) {
      return Optional.empty();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.getName());
    out.put("version", m.getVersion());
    out.put("baseModelId", m.getBaseModelId());
    out.put("classNames", m.getClassNames());
    out.put("nCtx", m.getNCtx());
    out.put("classSpecific", m.getClassSpecific());
    out.put("logitScale", m.getLogitScale());
    out.put("metrics", m.getMetrics());
    out.put("createdAt", m.getCreatedAt().toEpochMilli());
    return Optional.of(out);
  }
}
