package io.alvlm.review;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per annotator, how often their answers agree with a reference label: {@code (agreed + 1) / (checked + 2)}
 * (Laplace's rule, so an annotator with no checked answer reads 0.5 and one answer moves it a little). The
 * reference is whatever the caller trusts more than one answer: the answer two annotators gave alike, else
 * {@link LabelAudit}'s consensus class. Plain counts; rebuilt from the answers whenever the reference moves.
 */
public final class AnnotatorAgreement {
  private final Map<String, int[]> counts = new TreeMap<>();

  /** Counts one of {@code annotator}'s answers, checked against the reference. */
  public void record(String annotator, boolean agreed) {
    int[] c = counts.computeIfAbsent(Objects.requireNonNull(annotator, "annotator"), a -> new int[2]);
    c[0] += agreed ? 1 : 0;
    c[1]++;
  }

  /** Sets {@code annotator}'s counts as kept elsewhere (the pool's agreement store, after a restart). */
  public void restore(String annotator, int agreed, int checked) {
    if (agreed < 0 || checked < agreed) throw new IllegalArgumentException(annotator + ": " + agreed + " agreed of " + checked);
    counts.put(Objects.requireNonNull(annotator, "annotator"), new int[] {agreed, checked});
  }

  /** Answers of {@code annotator} that a check agreed with. */
  public int agreed(String annotator) {
    return counts.getOrDefault(annotator, new int[2])[0];
  }

  /** The estimate for {@code annotator}, 0.5 when none of their answers was checked. */
  public double estimate(String annotator) {
    int[] c = counts.getOrDefault(annotator, new int[2]);
    return (c[0] + 1.0) / (c[1] + 2.0);
  }

  /** Answers of {@code annotator} checked so far. */
  public int checked(String annotator) {
    return counts.getOrDefault(annotator, new int[2])[1];
  }

  /** Every annotator's estimate, by name. */
  public Map<String, Double> estimates() {
    Map<String, Double> out = new TreeMap<>();
    counts.keySet().forEach(a -> out.put(a, estimate(a)));
    return out;
  }

  /**
   * Who should answer a recheck: of {@code annotators}, the one with the highest estimate (ties: the first
   * name) that is not in {@code answered}; the highest of all when everyone answered already (one annotator).
   */
  public String recheckBy(Collection<String> annotators, Collection<String> answered) {
    String best = null, fallback = null;
    for (String a : annotators) {
      if (fallback == null || estimate(a) > estimate(fallback)) fallback = a;
      if (!answered.contains(a) && (best == null || estimate(a) > estimate(best))) best = a;
    }
    if (fallback == null) throw new IllegalArgumentException("no annotators to recheck with");
    return best != null ? best : fallback;
  }
}
