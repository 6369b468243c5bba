package io.alvlm.eval;

import io.alvlm.coop.Accuracy;
import io.alvlm.review.AnnotatorAgreement;
import io.alvlm.review.LabelAudit;
import io.alvlm.review.LabelledNeighbors;
import io.alvlm.review.Rechecks;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FeatureRows;
import io.alvlm.selection.MaintainedNeighbors;
import io.alvlm.selection.NearCopies;
import io.alvlm.selection.NearCopy;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import io.alvlm.stopping.StopSet;
import io.alvlm.stopping.StoppingRule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One arm (a strategy in a {@link Variant}) and seed of an evaluation, round by round, as the service runs
 * a round: the pool's maintained neighbour lists, the audit of the labels at the start of each round and the
 * rechecks it asks, the picks (with cold start and dedup as the variant says), the simulated annotators'
 * answers, pseudo-labels for near-copies of what was labelled, retraining on all labels from zero-shot, and
 * the stopping rule's reading of the new model. Every arm is audited and read by the stopping rule, whether or
 * not it acts on them, so the report can say what each would have caught. State between rounds is plain data
 * ({@link LabelLedger}, the stopping rule's curve) saved with the round.
 */
final class ArmReplay {
  /** What every arm of a run shares: the pool (injected copies included) normalised once, and its lists. */
  record Pool(DuplicateInjection injection, FeatureRows features, MaintainedNeighbors lists, int perRound) {
    Benchmark bench() {
      return injection.bench();
    }
  }

  private final Pool pool;
  private final LabelSettings settings;
  private final Strategy strategy;
  private final Variant variant;
  private final String arm;
  private final long seed;
  private final BlockProduct products = new BlockProduct(Compute.cpu());

  ArmReplay(Pool pool, LabelSettings settings, Strategy strategy, Variant variant, String arm, long seed) {
    this.pool = pool;
    this.settings = settings;
    this.strategy = strategy;
    this.variant = variant;
    this.arm = arm;
    this.seed = seed;
  }

  /** What a round hands back: the classifier it trained, its result row and its label facts. */
  record Round(int[] picks, float[][] classFeatures, double selectSeconds, double trainSeconds, LabelRound facts) {}

  /** The replay's state between rounds: labels, the model's class features and the stopping rule. */
  final class State {
    final LabelLedger ledger;
    final MaintainedNeighbors lists;
    final LabelledNeighbors labelled;
    final StoppingRule stop;
    final int[] stopSet;
    float[][] classFeatures;

    State(LabelLedger ledger, float[][] classFeatures, StoppingRule.Snapshot stopState) {
      this.ledger = ledger;
      this.classFeatures = classFeatures;
      int n = pool.bench().pool().length;
      this.lists = pool.lists().copy(n);
      this.labelled = new LabelledNeighbors(settings.auditNeighbours(), products);
      this.stopSet = StopSet.draw(n, r -> true, settings.stop().setSize(), seed);
      this.stop = stopState != null ? StoppingRule.restore(settings.stop(), classes(), stopState)
          : new StoppingRule(settings.stop(), classes(), predictions(pool.bench().zeroShot(), stopSet));
      BitSet left = new BitSet(n);
      for (int r = 0; r < n; r++) if (ledger.kind(r) != LabelLedger.UNLABELLED) left.set(r);
      lists.repair(pool.features(), n, r -> !left.get(r), left, products);
      labelled.add(pool.features(), ledger.rows(LabelLedger.ANSWERED));
    }
  }

  State fresh() {
    return new State(new LabelLedger(pool.bench().poolLabels()), pool.bench().zeroShot(), null);
  }

  State restored(LabelLedger.State ledger, float[][] classFeatures, StoppingRule.Snapshot stop) {
    return new State(LabelLedger.of(pool.bench().poolLabels(), ledger), classFeatures, stop);
  }

  Round round(State s, int round, Learner learner, long roundSeed) {
    int n = pool.bench().pool().length;
    LabelLedger ledger = s.ledger;
    long t0 = System.nanoTime();
    PoolView view = view(s);
    // the audit at the start of the round, with the model of the last one
    int[] answered = ledger.rows(LabelLedger.ANSWERED);
    LabelAudit.Result audit = null;
    int flagged = 0, flaggedWrong = 0;
    if (round > 1 && answered.length > 0) {
      int[] given = java.util.Arrays.stream(answered).map(ledger::label).toArray();
      audit = new LabelAudit(settings.auditModelWeight()).audit(answered, given, ledger.askedWith(answered, classes()),
          classes(), s.labelled, ledger::label);
      for (int i = 0; i < answered.length; i++) {
        if (!audit.suspect()[i]) continue;
        flagged++;
        if (ledger.flag(answered[i], round)) flaggedWrong++;
      }
    }
    int[] window = ledger.closedWindow(round);
    AnnotatorAgreement agreement = ledger.agreement(audit);
    int[] rechecks = variant.recheck() && audit != null
        ? Rechecks.choose(audit, pool.perRound(), settings.recheckShare(), r -> ledger.answeredBy(r).size() < 3 && !ledger.confirmed(r))
        : new int[0];
    Strategy st = variant.coldStart().strategyFor(view, strategy);
    if (variant.dedup()) st = Strategies.deduplicated(st, settings.dedupCosine());
    Selection sel = st.select(view, pool.perRound() - rechecks.length, roundSeed);
    int[] picks = sel.rows();
    double selectSeconds = (System.nanoTime() - t0) / 1e9;
    NearCopies copies = new NearCopies(view, settings.dedupCosine());
    int duplicates = duplicates(copies, view, picks);
    int repeats = repeats(ledger, picks);

    // the model each image is asked under: the newest that has not seen its label
    int[] asked = java.util.stream.IntStream.concat(java.util.Arrays.stream(rechecks), java.util.Arrays.stream(picks)).toArray();
    double[] p = new double[asked.length * classes()];
    io.alvlm.selection.ZeroShotProbabilities.forRows(view, asked, 0, asked.length, p);
    for (int i = 0; i < asked.length; i++) ledger.askedWith(asked[i], p, i * classes(), classes());
    List<String> names = settings.annotators().names();
    int corrections = 0, recheckedWrong = 0;
    for (int r : rechecks) {
      if (ledger.label(r) != ledger.truth(r)) recheckedWrong++;
      List<String> by = ledger.answeredBy(r).stream().map(SimulatedAnnotators::name).toList();
      int a = SimulatedAnnotators.index(agreement.recheckBy(names, by));
      int before = ledger.label(r);
      ledger.answer(r, a, answer(r, a, by.size()), round);
      if (ledger.label(r) != before) corrections++;
    }
    for (int q = 0; q < picks.length; q++) {
      int a = (int) ((((long) round * pool.perRound()) + q) % names.size());
      ledger.answer(picks[q], a, answer(picks[q], a, 0), round);
    }
    s.labelled.add(pool.features(), picks);
    BitSet left = new BitSet(n);
    for (int r : picks) left.set(r);
    if (variant.propagate()) propagate(copies, ledger, picks, sel.duplicates(), left);
    s.lists.repair(pool.features(), n, r -> ledger.kind(r) == LabelLedger.UNLABELLED, left, products);

    long t1 = System.nanoTime();
    // with rechecks, a suspect label sits out of training until it is asked again or the audit clears it
    java.util.Set<Integer> sitOut = new java.util.HashSet<>();
    if (variant.recheck() && audit != null && settings.holdSuspects()) {
      java.util.Set<Integer> askedAgain = new java.util.HashSet<>();
      for (int r : rechecks) askedAgain.add(r);
      for (int i = 0; i < audit.rows().length; i++) {
        int r = audit.rows()[i];
        if (audit.suspect()[i] && !askedAgain.contains(r) && !ledger.confirmed(r)) sitOut.add(r);
      }
    }
    int[] train = java.util.Arrays.stream(trainingRows(ledger)).filter(r -> !sitOut.contains(r)).toArray();
    int[] labels = java.util.Arrays.stream(train).map(ledger::label).toArray();
    s.classFeatures = learner.train(train, labels, roundSeed);
    double trainSeconds = (System.nanoTime() - t1) / 1e9;
    Accuracy acc = Accuracy.of(s.classFeatures, pool.bench().test(), pool.bench().testLabels());
    StoppingRule.Assessment stop = s.stop.observe(ledger.requested(), predictions(s.classFeatures, s.stopSet));
    int[] pseudo = ledger.rows(LabelLedger.PSEUDO);
    int pseudoRight = (int) java.util.Arrays.stream(pseudo).filter(r -> ledger.label(r) == ledger.truth(r)).count();
    int wrong = (int) java.util.Arrays.stream(ledger.rows(LabelLedger.ANSWERED)).filter(r -> ledger.label(r) != ledger.truth(r)).count();
    String agree = agreement.estimates().entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format(java.util.Locale.ROOT, "%.3f", e.getValue())).collect(Collectors.joining(" "));
    LabelRound facts = new LabelRound(arm, seed, round, ledger.requested(), picks.length, rechecks.length, recheckedWrong,
        corrections,
        duplicates, repeats, sel.duplicates().size(), pseudo.length, pseudoRight, wrong, ledger.wrongAnswers(), flagged,
        flaggedWrong, window[0], window[1], stop.kappa(), stop.changed(), stop.forecast(), stop.settling(), stop.fired(), acc.top1(),
        agree);
    return new Round(picks, s.classFeatures, selectSeconds, trainSeconds, facts);
  }

  private int answer(int row, int annotator, int attempt) {
    return settings.annotators().answer(seed, row, pool.bench().poolLabels()[row], classes(), annotator, attempt);
  }

  private int classes() {
    return pool.bench().classes();
  }

  private PoolView view(State s) {
    Benchmark b = pool.bench();
    float[] text = io.alvlm.selection.Vectors.normalizedRows(EvaluationRun.flatten(s.classFeatures), b.dim());
    return new PoolView(pool.features(), b.pool().length, b.dim(), text, b.classes(), b.logitScale(), s.ledger.status(),
        s.ledger.labels(), java.util.Optional.of(s.lists), java.util.Optional.empty());
  }

  /** Rows a round trains on: every answered row, then the pseudo-labelled ones when they train. */
  private int[] trainingRows(LabelLedger ledger) {
    int[] answered = ledger.rows(LabelLedger.ANSWERED);
    if (settings.propagateWeight() == 0) return answered;
    return java.util.stream.IntStream.concat(java.util.Arrays.stream(answered),
        java.util.Arrays.stream(ledger.rows(LabelLedger.PSEUDO))).toArray();
  }

  /**
   * Pseudo-labels: the near-copies of each new pick found along its list (still intact: it has just left the
   * members), and each near-copy dedup turned down for copying a labelled image, with the near-copies that
   * walk from it finds. A row keeps its first pseudo-label.
   */
  private void propagate(NearCopies copies, LabelLedger ledger, int[] picks, List<NearCopy> turnedDown, BitSet left) {
    java.util.function.IntPredicate free = r -> ledger.kind(r) == LabelLedger.UNLABELLED && !left.get(r);
    for (int p : picks) {
      for (NearCopy c : copies.twins(p, free, p)) {
        ledger.pseudo(c.row(), p);
        left.set(c.row());
      }
    }
    for (NearCopy d : turnedDown) {
      if (ledger.kind(d.of()) == LabelLedger.UNLABELLED || !free.test(d.row())) continue;
      ledger.pseudo(d.row(), d.of());
      left.set(d.row());
      for (NearCopy c : copies.twins(d.of(), free, d.row())) {
        ledger.pseudo(c.row(), d.of());
        left.set(c.row());
      }
    }
  }

  /** Picks at or above the threshold to an earlier pick of the round or to a row labelled before it. */
  private static int duplicates(NearCopies copies, PoolView view, int[] picks) {
    int[] held = java.util.stream.IntStream.range(0, view.rows()).filter(r -> view.status()[r] == PoolStatus.LABELED).toArray();
    NearCopy[] known = copies.nearest(picks, held);
    int n = 0;
    for (int i = 0; i < picks.length; i++) {
      boolean dup = known[i] != null;
      for (int j = 0; j < i && !dup; j++) dup = copies.copyOf(picks[i], picks[j]) != null;
      if (dup) n++;
    }
    return n;
  }

  /** Picks of an injected family (an original and its copies) that was labelled before or picked earlier in the round. */
  private int repeats(LabelLedger ledger, int[] picks) {
    Set<Integer> seen = new HashSet<>();
    for (int r = 0; r < ledger.rows(); r++) if (ledger.kind(r) != LabelLedger.UNLABELLED) seen.add(pool.injection().family(r));
    int n = 0;
    for (int p : picks) if (!seen.add(pool.injection().family(p))) n++;
    return n;
  }

  /** The class each of {@code rows} is predicted as under {@code classFeatures}. */
  private int[] predictions(float[][] classFeatures, int[] rows) {
    int[] out = new int[rows.length];
    float[] t = io.alvlm.selection.Vectors.normalizedRows(EvaluationRun.flatten(classFeatures), pool.bench().dim());
    for (int i = 0; i < rows.length; i++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classFeatures.length; c++) {
        double v = pool.features().dot(rows[i], t, c * pool.bench().dim());
        if (v > bestScore) {
          bestScore = v;
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
