package io.alvlm.pool;

import io.alvlm.coop.PromptModel;
import io.alvlm.review.LabelAudit;
import io.alvlm.review.LabelledNeighbors;
import io.alvlm.review.Rechecks;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * The label audit a round runs on its worker before it picks ({@link LabelAudit}, {@link Rechecks}): the
 * snapshot's labelled images, scored by the round's model and their labelled neighbours, and the suspects
 * that up to {@code query.recheck.share} of the budget asks again. The labelled images' own neighbour lists
 * are kept here between rounds (a round adds only its new labels: new × labelled × dim) and rebuilt after a
 * restart. A label is re-asked at most once per run: {@code asked} remembers the rows, and the round's apply
 * step also turns down an image whose last request was a recheck, so a restart does not ask it again. Used by
 * one round at a time, on the round worker only.
 */
final class LabelReview {
  /** Labelled neighbours each label is checked against. */
  static final int NEIGHBOURS = 10;

  private final LabelAudit audit;
  private final double share;
  private final LabelledNeighbors labelled = new LabelledNeighbors(NEIGHBOURS);
  private final BitSet asked = new BitSet();

  LabelReview(double share, double modelWeight) {
    this.audit = new LabelAudit(modelWeight);
    this.share = Rechecks.checkedShare(share);
  }

  /** What a round's audit found: the rows to re-ask (most suspect first), their margins, and how many labels were suspect. */
  record Found(int[] rows, double[] margins, int suspects) {
    static final Found NONE = new Found(new int[0], new double[0], 0);
  }

  /**
   * Audits the answered labels of {@code view} with {@code model} and chooses the rechecks of a round of
   * {@code budget}; {@code pseudo}'s rows (pseudo-labels, which only repeat their source) neither are audited nor vote.
   */
  Found rechecks(PoolView view, PromptModel model, int budget, BitSet pseudo) {
    if (share == 0 || budget <= 0) return Found.NONE;
    int[] rows = IntStream.range(0, view.rows())
        .filter(r -> view.status()[r] == PoolStatus.LABELED && view.labels()[r] >= 0 && !pseudo.get(r)).toArray();
    if (rows.length < 2) return Found.NONE;
    labelled.add(view.features(), rows);
    int classes = model.classes();
    double[] p = new double[rows.length * classes];
    int[] given = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(model.probabilities(view.features().row(rows[i])), 0, p, i * classes, classes);
      given[i] = view.labels()[rows[i]];
    }
    LabelAudit.Result result = audit.audit(rows, given, p, classes, labelled,
        r -> view.status()[r] == PoolStatus.LABELED && !pseudo.get(r) ? view.labels()[r] : -1);
    int[] chosen = Rechecks.choose(result, budget, share, r -> !asked.get(r));
    double[] margins = new double[chosen.length];
    for (int q = 0; q < chosen.length; q++) {
      asked.set(chosen[q]);
      for (int i = 0; i < rows.length; i++) if (rows[i] == chosen[q]) margins[q] = result.margin()[i];
    }
    return new Found(chosen, margins, result.suspects());
  }
}
