package io.alvlm.cli;

import io.alvlm.eval.Benchmark;
import io.alvlm.eval.DuplicateInjection;
import io.alvlm.eval.LabelSettings;
import io.alvlm.eval.SimulatedAnnotators;
import io.alvlm.eval.Variant;
import io.alvlm.stopping.StoppingRule;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}'s options for spending fewer labels: the variants each strategy runs in, near-copies
 * injected into the pool, simulated annotators' noise, rechecks and the stopping rule every arm is read with.
 */
final class EvaluateLabelOptions {
  @Option(names = "--variants", split = ",", defaultValue = "plain", description = "Variants each strategy runs in, "
      + "side by side on the same seeds: plain, or features joined by +: dedup, propagate, recheck, typical, class-guided "
      + "(e.g. plain,dedup,dedup+propagate) (default: ${DEFAULT-VALUE}). labels.md compares them.")
  List<String> variants;

  @Option(names = "--dedup-cosine", defaultValue = "0.97", description = "Near-copy threshold of dedup and propagate, "
      + "and of the duplicates labels.md counts (default: ${DEFAULT-VALUE}).")
  double dedupCosine;

  @Option(names = "--propagate-weight", defaultValue = "0", description = "Weight of a pseudo-label in training: 0 "
      + "not at all (it only keeps its image from being asked), 1 as a label (default: ${DEFAULT-VALUE}).")
  double propagateWeight;

  @Option(names = "--recheck-share", defaultValue = "0.2", description = "Share of a round's budget that may re-ask "
      + "suspect labels in recheck variants (default: ${DEFAULT-VALUE}).")
  double recheckShare;

  @Option(names = "--hold-suspects", description = "In recheck variants, suspect labels not asked again sit out of "
      + "training until the audit clears them (off: at the audit's precision it drops more right labels than wrong).")
  boolean holdSuspects;

  @Option(names = "--audit-model-weight", defaultValue = "0.25", description = "Weight of the model against the labelled "
      + "neighbours in the label audit (default: ${DEFAULT-VALUE}).")
  double auditModelWeight;

  @Option(names = "--label-noise", defaultValue = "0", description = "Probability that a simulated annotator answers "
      + "wrong: P, or P1,P2,... one per annotator (answers go to them in turn) (default: ${DEFAULT-VALUE}).")
  String labelNoise;

  @Option(names = "--inject-duplicates", defaultValue = "0", description = "Add near-copies of pool images, this share "
      + "of the pool (default: ${DEFAULT-VALUE}).")
  double injectDuplicates;

  @Option(names = "--duplicate-burst", defaultValue = "5", description = "Near-copies per copied image (default: "
      + "${DEFAULT-VALUE}).")
  int duplicateBurst;

  @Option(names = "--duplicate-cosine", defaultValue = "0.99", description = "Precomputed features: expected cosine of "
      + "a copy to its image (default: ${DEFAULT-VALUE}); images are copied as augmented views.")
  double duplicateCosine;

  @Option(names = "--inject-seed", defaultValue = "0", description = "Seed of which images are copied and how "
      + "(default: ${DEFAULT-VALUE}).")
  long injectSeed;

  @Option(names = "--stop-kappa", defaultValue = "0.94", description = "Stopping rule: kappa of consecutive models on the "
      + "stop set at or above which they count as stable (default: ${DEFAULT-VALUE}).")
  double stopKappa;

  @Option(names = "--stop-rounds", defaultValue = "3", description = "Stopping rule: models in a row at or above the "
      + "kappa (default: ${DEFAULT-VALUE}).")
  int stopRounds;

  @Option(names = "--stop-settle", defaultValue = "0.0005", description = "Stopping rule: largest forecast fall of the "
      + "share of changed predictions from this round to the next at which it fires (default: ${DEFAULT-VALUE}).")
  double stopSettle;

  @Option(names = "--stop-set-size", defaultValue = "1000", description = "Stopping rule: images in the stop set "
      + "(default: ${DEFAULT-VALUE}).")
  int stopSetSize;

  private static double cosine(double c) {
    if (!(c > 0 && c <= 1)) throw new IllegalArgumentException("--dedup-cosine " + c + ": want a cosine similarity in (0, 1]");
    return c;
  }

  /** {@code v} when it lies in [lo, hi]; else a one-line error naming the option. */
  private static double within(String option, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) throw new IllegalArgumentException(option + " " + v + ": want a number in [" + lo + ", " + hi + "]");
    return v;
  }

  LabelSettings settings() {
    within("--stop-kappa", stopKappa, -1, 1);
    within("--stop-settle", stopSettle, 0, 1);
    if (stopRounds < 1 || stopSetSize < 1) {
      throw new IllegalArgumentException("--stop-rounds " + stopRounds + ", --stop-set-size " + stopSetSize + ": want at least 1");
    }
    return new LabelSettings(variants.stream().map(Variant::parse).distinct().toList(),
        cosine(dedupCosine), propagateWeight, within("--recheck-share", recheckShare, 0, 1), holdSuspects,
        within("--audit-model-weight", auditModelWeight, 0, 1), 10,
        SimulatedAnnotators.parse(labelNoise),
        new StoppingRule.Settings(StoppingRule.Mode.STABLE, stopKappa, stopRounds, stopSettle, stopSetSize), 10);
  }

  /** {@code b} with near-copies injected as --inject-duplicates asks, and the run's fixed settings noting them. */
  DuplicateInjection inject(Benchmark b, DuplicateInjection.CopyMaker maker, Map<String, Object> fixed) {
    if (injectDuplicates == 0) return DuplicateInjection.none(b);
    fixed.put("inject_duplicates", injectDuplicates);
    fixed.put("duplicate_burst", duplicateBurst);
    fixed.put("inject_seed", injectSeed);
    DuplicateInjection d = DuplicateInjection.apply(b, injectDuplicates, duplicateBurst, injectSeed, maker);
    System.err.printf("evaluate: injected %d near-copies of %d pool images%n", d.copies(),
        (d.copies() + duplicateBurst - 1) / duplicateBurst);
    return d;
  }


  /** {@code b} with near-copies of precomputed features (noise at --duplicate-cosine) as --inject-duplicates asks. */
  DuplicateInjection injectNoisy(Benchmark b, Map<String, Object> fixed) {
    if (injectDuplicates != 0) fixed.put("duplicate_cosine", duplicateCosine);
    return inject(b, DuplicateInjection.noisy(b.pool(), duplicateCosine, injectSeed), fixed);
  }
}
