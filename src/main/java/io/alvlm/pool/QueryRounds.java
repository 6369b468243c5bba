package io.alvlm.pool;

import io.alvlm.stream.ServiceMetrics;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ClassGuess;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.PickScores;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.QueryRound;
import io.alvlm.selection.Budget;
import io.alvlm.selection.NearCopy;
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
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Query rounds in three steps, so that the stream thread only moves records (design rule 1):
 * {@link #plan} (stream thread) takes an immutable snapshot of the pool; {@link Plan#select} (the
 * round worker) runs the configured strategy on it; {@link #apply} (stream thread, a later
 * punctuation) turns the picks into PENDING images with a deadline and one {@link AnnotationRequest}
 * each (score parts, the model's top-3 guesses), and records the round in a {@link QueryRound}. A pick
 * that was labelled or requested while the worker ran is dropped and counted; the round then records
 * fewer requests than its budget. The {@code scores} store keeps the score parts of each requested
 * image (one record per image, bounded by the images ever requested).
 */
public final class QueryRounds {
  public static final String ROUNDS_STORE = "rounds";
  public static final String SCORES_STORE = "scores";

  /** {@link AnnotationRequest#getReason()} of a request the strategy picked. */
  public static final String UNCERTAIN = "uncertain";
  /** {@link AnnotationRequest#getReason()} of a suspect label asked again. */
  public static final String RECHECK = "recheck";

  private final Strategy strategy;
  private final SpendingRules rules;
  private final LabelReview review;
  private final RoundSettings settings;
  private final ServiceMetrics metrics;
  private final PoolState state;
  private final KeyValueStore<Long, QueryRound> roundStore;
  private final KeyValueStore<String, PickScores> scores;
  private final PoolOutputs out;
  private final Propagation propagation;

  QueryRounds(Strategy strategy, SpendingRules rules, RoundSettings settings, ServiceMetrics metrics, PoolState state,
      KeyValueStore<Long, QueryRound> roundStore, KeyValueStore<String, PickScores> scores, PoolOutputs out) {
    this.strategy = Objects.requireNonNull(strategy);
    this.rules = Objects.requireNonNull(rules);
    this.review = new LabelReview(rules.recheckShare(), rules.auditModelWeight());
    this.settings = Objects.requireNonNull(settings);
    this.metrics = Objects.requireNonNull(metrics);
    this.state = Objects.requireNonNull(state);
    this.roundStore = Objects.requireNonNull(roundStore);
    this.scores = Objects.requireNonNull(scores);
    this.out = Objects.requireNonNull(out);
    this.propagation = new Propagation(state, metrics);
  }

  /** A round planned on the stream thread: its number, why it opened, its budget and the pool snapshot. */
  final class Plan {
    final long round;
    final String trigger;
    final int wanted;
    final long unlabeled;
    final long pending;
    final long labeled;
    final long newSinceRound;
    final io.alvlm.coop.PromptModel model;
    /** The stopping rule's latest reading when the round opened; null before the second model. */
    final io.alvlm.stopping.StoppingRule.Assessment stop;
    private final PoolView snapshot;
    /** The pseudo-labelled rows when the round opened. */
    private final java.util.BitSet pseudo;

    private Plan(long round, String trigger, int wanted, PoolIndex index, io.alvlm.coop.PromptModel model, long newSinceRound,
        io.alvlm.stopping.StoppingRule.Assessment stop) {
      this.stop = stop;
      this.round = round;
      this.trigger = trigger;
      this.wanted = wanted;
      this.unlabeled = index.count(PoolStatus.UNLABELED);
      this.pending = index.count(PoolStatus.PENDING);
      this.pseudo = state.pseudo.rows();
      this.labeled = index.count(PoolStatus.LABELED) - pseudo.cardinality();
      this.newSinceRound = newSinceRound;
      this.model = model;
      this.snapshot = index.snapshot(model.textFeatures(), model.classes(), model.logitScale());
    }

    /**
     * Audits the labels and chooses the rechecks ({@link LabelReview}), runs the round's strategy (cold
     * start, dedup: {@link SpendingRules#strategyFor}) on the snapshot for the rest of the budget, then the
     * model's guesses and the score record of every pick, so the punctuation that applies it only writes;
     * the worker calls this, and it touches no store.
     */
    Outcome select() {
      long t0 = System.nanoTime();
      LabelReview.Found rechecks = review.rechecks(snapshot, model, wanted, pseudo);
      Strategy s = rules.strategyFor(snapshot, strategy);
      int rest = wanted - rechecks.rows().length;
      Selection sel = rest > 0 ? s.select(snapshot, rest, settings.seed() + round) : Selection.empty();
      List<List<ClassGuess>> guesses = new ArrayList<>(sel.picks().size());
      List<PickScores> scoreRecords = new ArrayList<>(sel.picks().size());
      for (Pick p : sel.picks()) {
        guesses.add(guesses(model, snapshot.features().row(p.row()), 3));
        scoreRecords.add(scoreRecord(round, model.version(), p.scores()));
      }
      List<List<ClassGuess>> recheckGuesses = new ArrayList<>();
      for (int r : rechecks.rows()) recheckGuesses.add(guesses(model, snapshot.features().row(r), 3));
      List<NearCopy> propagated = rules.propagateCosine().map(t -> Propagation.find(snapshot, t, pseudo, sel.duplicates()))
          .orElse(List.of());
      List<int[]> copies = rules.propagateCosine().map(t -> Propagation.copiesOfPicks(snapshot, t, sel.rows()))
          .orElse(java.util.Collections.nCopies(sel.picks().size(), new int[0]));
      return new Outcome(this, s.name(), sel, guesses, scoreRecords, rechecks, recheckGuesses, propagated, copies,
          (System.nanoTime() - t0) / 1e6);
    }
  }

  /**
   * What the worker hands back: the plan, the name of the strategy that ran (the cold start's in a cold
   * round), its selection, each pick's class guesses and score record (in pick order), the rechecks with
   * their guesses, the near-copies of answered images to pseudo-label now and each pick's near-copies to
   * pseudo-label with its answer ({@link Propagation}), and how long it took.
   */
  public record Outcome(Plan plan, String strategyName, Selection selection, List<List<ClassGuess>> guesses,
      List<PickScores> scoreRecords, LabelReview.Found rechecks, List<List<ClassGuess>> recheckGuesses,
      List<NearCopy> propagated, List<int[]> pickCopies, double selectMs) {}

  /** Plans the next round over {@code index} as it is now (stream thread, cheap: one snapshot). */
  Plan plan(PoolIndex index, io.alvlm.coop.PromptModel model, String trigger, io.alvlm.stopping.StoppingRule.Assessment stop) {
    return new Plan(state.meta.round() + 1, trigger, settings.budget().images(index.size(), model.classes()), index, model,
        state.meta.newSinceRound(), stop);
  }

  /**
   * Reads the pool entries of {@code o}'s picks, then its rechecks, from {@code from} on, at least one and then until
   * {@code deadlineNanos}, only so that {@link #apply} finds them in the store's caches (cold reads of a
   * large round's picks stalled one punctuation for seconds; docs/benchmarks.md); returns the next pick to read.
   */
  int warm(Outcome o, PoolIndex index, int from, long deadlineNanos) {
    List<Pick> picks = o.selection().picks();
    int q = from;
    while (q < picks.size() + o.rechecks().rows().length) {
      int row = q < picks.size() ? picks.get(q).row() : o.rechecks().rows()[q - picks.size()];
      q++;
      state.pool.get(index.id(row));
      if (System.nanoTime() >= deadlineNanos) break;
    }
    return q;
  }

  /** Applies a finished round (stream thread): requests for the picks still eligible, the round's record. */
  List<PendingRequest> apply(Outcome o, PoolIndex index, long now) {
    long t0 = System.nanoTime();
    Plan plan = o.plan();
    long round = plan.round;
    io.alvlm.coop.PromptModel model = plan.model;
    List<PendingRequest> opened = new ArrayList<>();
    long deadline = now + settings.deadlineMs();
    int dropped = 0;
    long reads = 0; // the picks' pool entries read back from the store
    List<Pick> picks = o.selection().picks();
    for (int q = 0; q < picks.size(); q++) {
      Pick p = picks.get(q);
      String id = index.id(p.row());
      long r0 = System.nanoTime();
      PoolEntry e = state.pool.get(id);
      reads += System.nanoTime() - r0;
      if (e == null || e.getStatus() != ImageStatus.UNLABELED) {
        dropped++; // labelled or requested while the worker ran
        continue;
      }
      String queryId = settings.applicationId() + "-r" + round + "-" + id;
      e.setStatus(ImageStatus.PENDING);
      e.setQueryId(queryId);
      e.setDeadline(deadline);
      e.setNearCopies(java.util.Arrays.stream(o.pickCopies().get(q)).mapToObj(index::id).toList());
      List<Long> rs = new ArrayList<>(e.getRounds());
      rs.add(round);
      e.setRounds(rs);
      state.pool.put(id, e);
      index.setStatus(p.row(), PoolStatus.PENDING, -1);
      opened.add(new PendingRequest(id, deadline));
      Map<String, Double> parts = p.scores();
      AnnotationRequest req = AnnotationRequest.newBuilder()
          .setQueryId(queryId).setRound(round).setId(id).setUri(e.getUri()).setStrategy(o.strategyName())
          .setCalibratedEntropy(parts.getOrDefault("calibrated_entropy", 0.0))
          .setNeighborEntropy(parts.getOrDefault("neighbor_entropy", 0.0))
          .setUncertainty(parts.getOrDefault("uncertainty", parts.values().stream().findFirst().orElse(0.0)))
          .setScores(new HashMap<>(parts))
          .setCluster(p.cluster())
          .setGuesses(o.guesses().get(q))
          .setModelVersion(model.version())
          .setCreatedAt(Instant.ofEpochMilli(now))
          .setDeadline(Instant.ofEpochMilli(deadline))
          .build();
      out.request(id, req, now);
      scores.put(id, o.scoreRecords().get(q));
    }
    int rechecked = recheck(o, index, now, deadline);
    propagation.apply(o.propagated(), index);
    state.meta.opened(round, now, opened.size(), plan.newSinceRound);
    if ("model".equals(plan.trigger)) {
      state.meta.scoredWith(model.version());
    }
    Map<String, Double> timings = new HashMap<>(o.selection().timingsMs());
    timings.put("select", o.selectMs());
    timings.put("apply", (System.nanoTime() - t0) / 1e6);
    timings.put("apply_reads", reads / 1e6);
    timings.put("round_total", o.selectMs() + (System.nanoTime() - t0) / 1e6);
    float[] prior = o.selection().roundFacts().get("prior");
    List<Double> priorList = new ArrayList<>();
    if (prior != null) {
      for (float x : prior) priorList.add((double) x);
    }
    QueryRound qr = QueryRound.newBuilder().setRound(round).setStrategy(o.strategyName()).setTrigger(plan.trigger)
        .setBudget(plan.wanted).setSelected(opened.size()).setDropped(dropped).setUnlabeled(plan.unlabeled)
        .setDuplicates(o.selection().duplicates().size()).setRechecks(rechecked)
        .setStopKappa(plan.stop == null ? null : finite(plan.stop.kappa()))
        .setStopForecast(plan.stop == null ? null : finite(plan.stop.forecast()))
        .setPending(plan.pending).setLabeled(plan.labeled).setModelVersion(model.version()).setTimingsMs(timings)
        .setClassPrior(priorList).setOpenedAt(Instant.ofEpochMilli(now)).build();
    roundStore.put(round, qr);
    out.round(qr, now);
    metrics.round(opened.size(), (long) (timings.get("round_total") * 1e6));
    metrics.duplicates(o.selection().duplicates().size(), opened.size());
    metrics.rechecks(rechecked, o.rechecks().suspects());
    return opened;
  }

  /**
   * Asks the round's suspect labels again: one request each, reason {@link #RECHECK}, with the audit's margin
   * as its score. The image stays LABELED (its label keeps training until an answer replaces it; the answer
   * is a relabel, or a repeat that confirms it) and its request joins no deadline and no round count, so an
   * unanswered recheck holds nothing up. An image no longer labelled, or whose last request was a recheck
   * already, is skipped. Returns the rechecks asked.
   */
  private int recheck(Outcome o, PoolIndex index, long now, long deadline) {
    int asked = 0;
    int[] rows = o.rechecks().rows();
    for (int q = 0; q < rows.length; q++) {
      String id = index.id(rows[q]);
      PoolEntry e = state.pool.get(id);
      if (e == null || e.getStatus() != ImageStatus.LABELED || e.getClassName() == null
          || (e.getQueryId() != null && e.getQueryId().endsWith("-" + RECHECK))) {
        continue;
      }
      long round = o.plan().round;
      String queryId = settings.applicationId() + "-r" + round + "-" + id + "-" + RECHECK;
      e.setQueryId(queryId);
      List<Long> rs = new ArrayList<>(e.getRounds());
      rs.add(round);
      e.setRounds(rs);
      state.pool.put(id, e);
      Map<String, Double> parts = Map.of("audit_margin", o.rechecks().margins()[q]);
      out.request(id, AnnotationRequest.newBuilder().setQueryId(queryId).setRound(round).setId(id).setUri(e.getUri())
          .setStrategy(o.strategyName()).setScores(new HashMap<>(parts)).setGuesses(o.recheckGuesses().get(q))
          .setModelVersion(o.plan().model.version()).setCreatedAt(Instant.ofEpochMilli(now))
          .setDeadline(Instant.ofEpochMilli(deadline)).setReason(RECHECK).setChecks(e.getAnnotator()).build(), now);
      asked++;
    }
    return asked;
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  /** The score parts of a pick as the store keeps them: NaN parts (a strategy without that part) left out. */
  static PickScores scoreRecord(long round, long version, Map<String, Double> parts) {
    Map<String, Double> kept = new java.util.TreeMap<>();
    parts.forEach((k, v) -> {
      if (!v.isNaN()) kept.put(k, v);
    });
    return PickScores.newBuilder().setRound(round).setModelVersion(version).setParts(kept).build();
  }

  static List<ClassGuess> guesses(io.alvlm.coop.PromptModel model, float[] normalised, int top) {
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
