package io.alvlm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.coop.Accuracy;
import io.alvlm.coop.WarmStart;
import io.alvlm.selection.Budget;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays active learning offline, as the paper's protocol does: for every seed and strategy, each
 * round asks the strategy for a budget of pool images (scored with the current classifier's class
 * features), reveals their true labels, retrains from zero-shot on all labels so far and measures
 * test accuracy. Rows go to {@link ResultsTable} as rounds finish; a run into a folder that already
 * holds finished rounds continues after them ({@link ReplayCheckpoint}) instead of redoing them.
 */
public final class EvaluationRun {
  /**
   * What to replay.
   *
   * @param strategyParams per strategy name, its parameters for {@link Strategies#create} (e.g. CEC's {@code k})
   * @param fixed settings that must not change between a run and its continuation (dataset, model,
   *     budget, learner and its options); checked against {@code run.json}
   * @param warmStart when enabled, every strategy is replayed twice on the same seeds: from zero (rows
   *     named after the strategy) and warm-started (rows named {@code strategy+warm})
   * @param labels the variants every strategy runs in and how labels are spent and answered
   */
  public record Plan(List<String> strategies, Map<String, Map<String, String>> strategyParams, int rounds,
      Budget budget, List<Long> seeds, Map<String, Object> fixed, WarmStart warmStart, LabelSettings labels) {
    /** The paper's protocol only: every round from zero-shot. */
    public Plan(List<String> strategies, Map<String, Map<String, String>> strategyParams, int rounds, Budget budget,
        List<Long> seeds, Map<String, Object> fixed) {
      this(strategies, strategyParams, rounds, budget, seeds, fixed, WarmStart.OFF);
    }

    /** Plain arms with perfect answers. */
    public Plan(List<String> strategies, Map<String, Map<String, String>> strategyParams, int rounds, Budget budget,
        List<Long> seeds, Map<String, Object> fixed, WarmStart warmStart) {
      this(strategies, strategyParams, rounds, budget, seeds, fixed, warmStart, LabelSettings.defaults());
    }

    public Plan {
      Objects.requireNonNull(warmStart, "warmStart");
      Objects.requireNonNull(labels, "labels");
      strategies = List.copyOf(strategies);
      strategyParams = Map.copyOf(strategyParams);
      seeds = List.copyOf(seeds);
      fixed = Map.copyOf(fixed);
      Objects.requireNonNull(budget, "budget");
      if (rounds < 1) throw new IllegalArgumentException("rounds must be ≥ 1, got " + rounds);
      if (strategies.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("no strategies or no seeds");
    }
  }

  private final Benchmark bench;
  private final DuplicateInjection injection;
  private final Learner learner;
  private final Plan plan;
  private final Path out;
  private final PrintStream log;

  public EvaluationRun(Benchmark bench, Learner learner, Plan plan, Path out, PrintStream log) {
    this(DuplicateInjection.none(bench), learner, plan, out, log);
  }

  /** A run over {@code injection}'s pool (the benchmark with its injected near-copies). */
  public EvaluationRun(DuplicateInjection injection, Learner learner, Plan plan, Path out, PrintStream log) {
    this.injection = Objects.requireNonNull(injection, "injection");
    this.bench = injection.bench();
    this.learner = Objects.requireNonNull(learner, "learner");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.out = Objects.requireNonNull(out, "out");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Suffix of the rows of a warm-started replay. */
  public static final String WARM = "+warm";

  /**
   * The names rows are recorded under: each strategy in each variant ({@code STRATEGY}, {@code STRATEGY+dedup},
   * ...), then (with a warm start) each of them + {@link #WARM}.
   */
  public List<String> arms() {
    List<String> arms = new ArrayList<>();
    for (String s : plan.strategies()) for (Variant v : plan.labels().variants()) arms.add(s + v.suffix());
    if (plan.warmStart().enabled()) new ArrayList<>(arms).forEach(a -> arms.add(a + WARM));
    return arms;
  }

  /** The run's settings as results.json records them. */
  public Map<String, Object> settingsForReport() {
    return settings();
  }

  /** Runs every round not yet in {@code out} and returns all rows. */
  public ResultsTable run() throws IOException {
    Files.createDirectories(out);
    Map<String, Object> settings = settings();
    checkSameRun(settings);
    List<Strategy> strategies = plan.strategies().stream()
        .map(n -> Strategies.create(n, plan.strategyParams().getOrDefault(n, Map.of()))).toList();
    ResultsTable table = ResultsTable.read(out);
    Accuracy zs = Accuracy.of(bench.zeroShot(), bench.test(), bench.testLabels());
    if (table.rounds(RoundResult.ZERO_SHOT, 0).isEmpty()) {
      table.add(new RoundResult(RoundResult.ZERO_SHOT, 0, 0, 0, "0", zs.top1(), zs.meanPerClass(), zs.top1(),
          zs.meanPerClass(), 0, 0, Instant.now().toString()), settings);
    }
    int todo = 0;
    for (long seed : plan.seeds()) {
      for (String s : arms()) todo += Math.max(0, plan.rounds() - table.rounds(s, seed).size());
    }
    Progress progress = new Progress(log, todo);
    log.printf("evaluate: %s, pool %d, test %d, %d classes; %d per round; %d rounds to run (%s)%n", bench.name(),
        bench.pool().length, bench.test().length, bench.classes(), perRound(), todo, out);
    ArmReplay.Pool shared = todo == 0 ? null : sharedPool();
    for (long seed : plan.seeds()) {
      for (boolean warm : plan.warmStart().enabled() ? List.of(false, true) : List.of(false)) {
        for (Strategy strategy : strategies) {
          for (Variant v : plan.labels().variants()) {
            String arm = strategy.name() + v.suffix() + (warm ? WARM : "");
            Learner l = warm ? learner.warmStarted(plan.warmStart()) : learner;
            replay(new ArmReplay(shared, plan.labels(), strategy, v, arm, seed), arm, l, seed, table, zs, settings, progress);
          }
        }
      }
    }
    return table;
  }

  /** The pool every arm starts from: normalised once, with exact neighbour lists of every row (one N² pass per run). */
  private ArmReplay.Pool sharedPool() {
    int n = bench.pool().length, dim = bench.dim();
    float[] f = io.alvlm.selection.Vectors.normalizeRows(flatten(bench.pool()), dim);
    int k = plan.labels().listK();
    for (Map<String, String> p : plan.strategyParams().values()) {
      if (p.containsKey("k")) k = Math.max(k, Integer.parseInt(p.get("k").strip()));
    }
    io.alvlm.selection.NeighborTable exact = io.alvlm.selection.ExactNeighbors.compute(f, dim,
        java.util.stream.IntStream.range(0, n).toArray(), k);
    io.alvlm.selection.MaintainedNeighbors lists = new io.alvlm.selection.MaintainedNeighbors(k);
    lists.ensureCapacity(n);
    for (int r = 0; r < n; r++) lists.set(r, exact.ids()[r], exact.sims()[r]);
    return new ArmReplay.Pool(injection, io.alvlm.selection.FeatureRows.of(f, dim), lists, perRound());
  }

  /**
   * Replays {@code replay}'s arm for {@code seed} with {@code learner}. A warm learner continued after an
   * interruption starts its first round again from zero-shot.
   */
  private void replay(ArmReplay replay, String arm, Learner learner, long seed, ResultsTable table, Accuracy zs,
      Map<String, Object> settings, Progress progress) throws IOException {
    int finished = table.rounds(arm, seed).size();
    if (finished >= plan.rounds()) return;
    ReplayCheckpoint checkpoint = new ReplayCheckpoint(out, arm, seed);
    ArmReplay.State state = restore(replay, checkpoint, finished, learner, seed);
    for (int round = finished + 1; round <= plan.rounds(); round++) {
      long roundSeed = roundSeed(seed, round);
      ArmReplay.Round r = replay.round(state, round, learner, roundSeed);
      checkpoint.addPicks(r.picks());
      Accuracy acc = Accuracy.of(r.classFeatures(), bench.test(), bench.testLabels());
      checkpoint.saveClassFeatures(round, r.classFeatures());
      checkpoint.saveLabels(new ReplayCheckpoint.Saved(round, state.ledger.state(), state.stop.snapshot()));
      LabelTable.append(out, r.facts());
      RoundResult row = new RoundResult(arm, seed, round, r.facts().requested(), plan.budget().label(round),
          acc.top1(), acc.meanPerClass(), zs.top1(), zs.meanPerClass(), r.selectSeconds(), r.trainSeconds(),
          Instant.now().toString());
      table.add(row, settings);
      checkpoint.dropBefore(round);
      progress.round(row, plan.rounds());
    }
  }

  /**
   * The state after {@code finished} rounds: fresh, or as saved; a folder from before labels were saved holds
   * only picks, answered then (as they were) with their true labels.
   */
  private ArmReplay.State restore(ArmReplay replay, ReplayCheckpoint checkpoint, int finished, Learner learner, long seed)
      throws IOException {
    if (finished == 0) return replay.fresh();
    float[][] classFeatures = checkpoint.classFeatures(finished).orElse(null);
    java.util.Optional<ReplayCheckpoint.Saved> saved = checkpoint.labels().filter(s -> s.round() == finished);
    ArmReplay.State s;
    if (saved.isPresent()) {
      s = replay.restored(saved.get().ledger(), classFeatures, saved.get().stop());
    } else {
      LabelLedger ledger = new LabelLedger(bench.poolLabels());
      for (int[] picks : checkpoint.picks(finished)) for (int r : picks) ledger.answer(r, 0, bench.poolLabels()[r], 0);
      s = replay.restored(ledger.state(), classFeatures, null);
    }
    if (classFeatures == null) {
      // interrupted between the row and the cleanup: the labels are known, so retrain that round
      int[] rows = s.ledger.rows(LabelLedger.ANSWERED);
      s.classFeatures = learner.train(rows, java.util.Arrays.stream(rows).map(s.ledger::label).toArray(),
          roundSeed(seed, finished));
    }
    return s;
  }

  /** Selection and training seed of a round: different per round, reproducible per (seed, round). */
  static long roundSeed(long seed, int round) {
    return seed * 1_000_003L + round;
  }

  int perRound() {
    return plan.budget().images(bench.pool().length, bench.classes());
  }

  private Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>(plan.fixed());
    s.put("dataset", bench.name());
    s.put("classes", bench.classes());
    s.put("pool", bench.pool().length);
    s.put("test", bench.test().length);
    s.put("budget", plan.budget().spec());
    s.put("per_round", perRound());
    if (!plan.strategyParams().isEmpty()) s.put("strategy_params", new java.util.TreeMap<>(plan.strategyParams()));
    if (!plan.labels().paperOnly()) s.putAll(plan.labels().fixed());
    Map<String, Object> all = new LinkedHashMap<>(s);
    all.put("strategies", plan.strategies());
    if (!plan.labels().paperOnly()) all.put("variants", plan.labels().variants().stream().map(Variant::toString).toList());
    all.put("rounds", plan.rounds());
    all.put("seeds", plan.seeds());
    bench.paperDataset().ifPresent(p -> all.put("paper_dataset", p));
    return all;
  }

  /** Refuses to continue a folder made with other fixed settings; writes {@code run.json} on a fresh one. */
  private void checkSameRun(Map<String, Object> settings) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> fixed = new LinkedHashMap<>(settings);
    fixed.keySet().removeAll(List.of("strategies", "rounds", "seeds", "variants"));
    Path f = out.resolve("run.json");
    if (Files.isRegularFile(f)) {
      Map<?, ?> before = json.readValue(f.toFile(), Map.class);
      Map<?, ?> now = json.readValue(json.writeValueAsString(fixed), Map.class);
      if (!before.equals(now)) {
        throw new IllegalStateException(out + " holds a run with other settings: " + differences(before, now)
            + ". Use another --out, or the same settings to continue it");
      }
    } else {
      json.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), fixed);
    }
  }

  /** The keys whose values differ, each as {@code key: was X, now Y}, in key order. */
  static String differences(Map<?, ?> before, Map<?, ?> now) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    before.keySet().forEach(k -> keys.add(String.valueOf(k)));
    now.keySet().forEach(k -> keys.add(String.valueOf(k)));
    List<String> out = new java.util.ArrayList<>();
    for (String k : keys) {
      Object was = before.get(k);
      Object is = now.get(k);
      if (!java.util.Objects.equals(was, is)) {
        out.add(k + ": was " + (was == null ? "unset" : was) + ", now " + (is == null ? "unset" : is));
      }
    }
    return String.join("; ", out);
  }

  static float[] flatten(float[][] m) {
    int d = m[0].length;
    float[] o = new float[m.length * d];
    for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, o, i * d, d);
    return o;
  }
}
