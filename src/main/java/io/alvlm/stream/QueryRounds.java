package io.alvlm.stream;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ClassGuess;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.QueryRound;
import io.alvlm.selection.Pick;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs one query round over the maintained pool: the configured strategy picks up to the budget from
 * the eligible images, each pick becomes PENDING with a deadline and one {@link AnnotationRequest}
 * (score parts, the model's top-3 guesses), the round is summarised in a {@link QueryRound}, and every
 * image's scores go to the {@code scores} store for interactive queries.
 */
public final class QueryRounds {
  public static final String ROUNDS_STORE = "rounds";
  public static final String SCORES_STORE = "scores";
  public static final String TO_QUERIES = "to-queries";
  public static final String TO_ROUNDS = "to-rounds";

  private final Strategy strategy;
  private final QueryBudget budget;
  private final long deadlineMs;
  private final long seed;
  private final String applicationId;
  private final ServiceMetrics metrics;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, PoolEntry> pool;
  private PoolMeta meta;
  private KeyValueStore<Long, QueryRound> roundStore;
  private KeyValueStore<String, String> scores;

  public QueryRounds(Strategy strategy, ServiceConfig config, ServiceMetrics metrics) {
    this.strategy = Objects.requireNonNull(strategy);
    this.budget = QueryBudget.parse(config.get(Settings.QUERY_BUDGET));
    this.deadlineMs = config.get(Settings.QUERY_DEADLINE_MS);
    this.seed = config.get(Settings.QUERY_SEED);
    this.applicationId = config.get(Settings.APPLICATION_ID);
    this.metrics = Objects.requireNonNull(metrics);
  }

  void init(ProcessorContext<String, Object> context, KeyValueStore<String, PoolEntry> pool, PoolMeta meta,
      KeyValueStore<Long, QueryRound> roundStore, KeyValueStore<String, String> scores) {
    this.context = context;
    this.pool = pool;
    this.meta = meta;
    this.roundStore = roundStore;
    this.scores = scores;
  }

  List<PoolProcessor.PendingRequest> run(PoolIndex index, ModelView model, String trigger, long now) {
    long t0 = System.nanoTime();
    long round = meta.round() + 1;
    int wanted = budget.images(index.size(), model.classes());
    long unlabeled = index.count(PoolStatus.UNLABELED);
    long pending = index.count(PoolStatus.PENDING);
    long labeled = index.count(PoolStatus.LABELED);
    PoolView view = index.view(model);
    Selection sel = strategy.select(view, wanted, seed + round);
    List<PoolProcessor.PendingRequest> opened = new ArrayList<>();
    long deadline = now + deadlineMs;
    for (Pick p : sel.picks()) {
      String id = index.id(p.row());
      PoolEntry e = pool.get(id);
      String queryId = applicationId + "-r" + round + "-" + id;
      e.setStatus(ImageStatus.PENDING);
      e.setQueryId(queryId);
      e.setDeadline(deadline);
      List<Long> rs = new ArrayList<>(e.getRounds());
      rs.add(round);
      e.setRounds(rs);
      pool.put(id, e);
      index.setStatus(p.row(), PoolStatus.PENDING, -1);
      opened.add(new PoolProcessor.PendingRequest(id, deadline));
      Map<String, Double> parts = p.scores();
      AnnotationRequest req = AnnotationRequest.newBuilder()
          .setQueryId(queryId).setRound(round).setId(id).setUri(e.getUri()).setStrategy(strategy.name())
          .setCalibratedEntropy(parts.getOrDefault("calibrated_entropy", 0.0))
          .setNeighborEntropy(parts.getOrDefault("neighbor_entropy", 0.0))
          .setUncertainty(parts.getOrDefault("uncertainty", parts.values().stream().findFirst().orElse(0.0)))
          .setScores(new HashMap<>(parts))
          .setCluster(p.cluster())
          .setGuesses(guesses(model, index.features(p.row()), 3))
          .setModelVersion(model.version())
          .setCreatedAt(Instant.ofEpochMilli(now))
          .setDeadline(Instant.ofEpochMilli(deadline))
          .build();
      context.forward(new Record<>(id, req, now), TO_QUERIES);
    }
    meta.opened(round, now, opened.size());
    writeScores(index, sel, model.version());
    double totalMs = (System.nanoTime() - t0) / 1e6;
    Map<String, Double> timings = new HashMap<>(sel.timingsMs());
    timings.put("round_total", totalMs);
    float[] prior = sel.roundFacts().get("prior");
    List<Double> priorList = new ArrayList<>();
    if (prior != null) {
      for (float x : prior) priorList.add((double) x);
    }
    QueryRound qr = QueryRound.newBuilder().setRound(round).setStrategy(strategy.name()).setTrigger(trigger).setBudget(wanted)
        .setSelected(opened.size()).setUnlabeled(unlabeled).setPending(pending).setLabeled(labeled)
        .setModelVersion(model.version()).setTimingsMs(timings).setClassPrior(priorList)
        .setOpenedAt(Instant.ofEpochMilli(now)).build();
    roundStore.put(round, qr);
    context.forward(new Record<>(Long.toString(round), qr, now), TO_ROUNDS);
    metrics.round(opened.size(), System.nanoTime() - t0);
    return opened;
  }

  private void writeScores(PoolIndex index, Selection sel, long version) {
    Map<String, float[]> rows = sel.rowScores();
    if (rows.isEmpty()) {
      return;
    }
    for (int r = 0; r < index.size(); r++) {
      StringBuilder json = new StringBuilder("{\"model_version\":").append(version);
      for (Map.Entry<String, float[]> e : rows.entrySet()) {
        float v = e.getValue()[r];
        if (!Float.isNaN(v)) {
          json.append(",\"").append(e.getKey()).append("\":").append(v);
        }
      }
      scores.put(index.id(r), json.append('}').toString());
    }
  }

  static List<ClassGuess> guesses(ModelView model, float[] normalised, int top) {
    double[] p = model.probabilities(normalised);
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < p.length; k++) order.add(k);
    order.sort((a, b) -> Double.compare(p[b], p[a]));
    List<ClassGuess> out = new ArrayList<>();
    for (int i = 0; i < Math.min(top, p.length); i++) {
      int k = order.get(i);
      out.add(ClassGuess.newBuilder().setClassName(model.classNames().get(k)).setProbability(p[k]).build());
    }
    return out;
  }
}
