package io.alvlm.eval;

import io.alvlm.stopping.StoppingRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an evaluation spends labels beyond its strategies: the variants each strategy runs in ({@link Variant}),
 * the near-copy threshold (dedup, propagation, and the duplicates every arm's report counts), the weight a
 * pseudo-label trains with (0: not at all), the share of a round that may go to rechecks and whether suspect
 * labels not asked again sit out of training (recheck variants), the audit's model
 * weight α and labelled neighbours, the simulated annotators, the stopping rule every arm is read with, and the
 * neighbour lists' length. Everything but the variants is fixed for a results folder.
 */
public record LabelSettings(List<Variant> variants, double dedupCosine, double propagateWeight, double recheckShare,
    boolean holdSuspects, double auditModelWeight, int auditNeighbours, SimulatedAnnotators annotators,
    StoppingRule.Settings stop, int listK) {
  public LabelSettings {
    variants = List.copyOf(variants);
    Objects.requireNonNull(annotators, "annotators");
    Objects.requireNonNull(stop, "stop");
    if (variants.isEmpty()) throw new IllegalArgumentException("--variants: at least one");
    if (!(propagateWeight == 0 || propagateWeight == 1)) {
      throw new IllegalArgumentException("--propagate-weight " + propagateWeight + ": want 0 (pseudo-labels do not train) or 1");
    }
    if (auditNeighbours < 1 || listK < 1) throw new IllegalArgumentException("neighbour counts must be >= 1");
  }

  /** Plain arms, one annotator who never errs, the defaults of the service's settings. */
  public static LabelSettings defaults() {
    return new LabelSettings(List.of(Variant.PLAIN), 0.97, 0, 0.2, false, 0.25, 10, new SimulatedAnnotators(new double[] {0}),
        new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.94, 3, 0.0005, 1000), 10);
  }

  /** What a continued run must share with the folder's first run. */
  Map<String, Object> fixed() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dedup_cosine", dedupCosine);
    m.put("propagate_weight", propagateWeight);
    m.put("recheck_share", recheckShare);
    m.put("hold_suspects", holdSuspects);
    m.put("audit_model_weight", auditModelWeight);
    m.put("audit_neighbours", auditNeighbours);
    m.put("label_noise", annotators.spec());
    m.put("stop", stop.kappa() + "/" + stop.rounds() + "/" + stop.settle() + "/" + stop.setSize());
    m.put("list_k", listK);
    return m;
  }

  /** Whether every arm is plain with perfect answers: the paper's protocol, recorded as before. */
  boolean paperOnly() {
    return variants.equals(List.of(Variant.PLAIN)) && annotators.count() == 1 && annotators.noise(0) == 0;
  }
}
