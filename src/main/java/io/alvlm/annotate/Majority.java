package io.alvlm.annotate;

import io.alvlm.avro.LabelVote;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The majority of independent votes on one image: the answer given most often, ties going to the
 * answer that reached the tied count first (so the result does not depend on map order), and the
 * share of votes that agree with it.
 *
 * @param answer the winning answer
 * @param agreement votes for {@code answer} / all votes, in (0, 1]
 */
public record Majority(Answer answer, double agreement) {
  public static Majority of(List<LabelVote> votes) {
    if (votes.isEmpty()) {
      throw new IllegalArgumentException("no votes");
    }
    Map<Answer, Integer> counts = new LinkedHashMap<>();
    Answer best = null;
    int bestCount = 0;
    for (LabelVote v : votes) {
      Answer a = new Answer(v.getOutcome(), v.getClassName());
      int c = counts.merge(a, 1, Integer::sum);
      if (c > bestCount) {
        best = a;
        bestCount = c;
      }
    }
    return new Majority(best, bestCount / (double) votes.size());
  }
}
