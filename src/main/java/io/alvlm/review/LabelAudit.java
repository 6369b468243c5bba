package io.alvlm.review;

import io.alvlm.selection.NeighborLists;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Scores every label by how much the current model and the image's labelled neighbours disagree with it,
 * in the manner of confident learning (Northcutt et al., 2021), with per-class thresholds. For a labelled
 * row {@code i} with given label {@code y_i}:
 * <ol>
 *   <li>model: {@code p_i}, the class probabilities {@code softmax(τ · f_i · Tᵀ)} of the newest model that was not
 *       trained on the label: the model current when the image was asked (whose guesses the request carried).
 *       A model trained on a wrong label learns it (a cosine classifier after 50 epochs flagged none of 12
 *       wrong labels among 180), so the current model's own probabilities say little about its labels;</li>
 *   <li>neighbours: {@code v_i[c] = Σ_{j∈N_i} s_ij [y_j = c] / Σ_{j∈N_i} s_ij}, {@code s_ij = max(0, f_i·f_j)},
 *       {@code N_i} the row's list among the other labelled rows ({@code v_i = p_i} when the list is empty or
 *       every {@code s_ij} is 0);</li>
 *   <li>combined: {@code q_i = α p_i + (1 − α) v_i};</li>
 *   <li>per-class thresholds: {@code t_c} = the mean of {@code q_i[c]} over the rows labelled {@code c}
 *       (confident learning's average self-confidence; a class with no label gets none, +∞);</li>
 *   <li>suspect: the classes {@code C_i = {c : q_i[c] ≥ t_c}} are not empty and their most probable one,
 *       {@code argmax_{c∈C_i} q_i[c]}, is not {@code y_i} (the label falls off the confident joint's diagonal);</li>
 *   <li>margin, the ranking: {@code m_i = q_i[y_i] / t_{y_i} − max_{c≠y_i} q_i[c] / t_c}, most negative first.</li>
 * </ol>
 * Rows keep their order; nothing is stored. Work: one pass over the labelled rows' lists.
 */
public final class LabelAudit {
  /**
   * What the audit found, one entry per audited row in the order given.
   *
   * @param suspect whether the label falls off the diagonal
   * @param margin {@code m_i}, negative where another class beats the label relative to the thresholds
   * @param consensus {@code argmax_c q_i[c]}, the class model and neighbours agree on most
   * @param thresholds {@code t_c} per class (+∞ for classes with no label)
   */
  public record Result(int[] rows, boolean[] suspect, double[] margin, int[] consensus, double[] thresholds) {
    public int suspects() {
      int n = 0;
      for (boolean s : suspect) if (s) n++;
      return n;
    }
  }

  private final double modelWeight;

  /** {@code modelWeight} is α in [0, 1]: the share of the model in the combined probabilities. */
  public LabelAudit(double modelWeight) {
    this.modelWeight = checkedWeight(modelWeight);
  }

  /** {@code weight} when it is in [0, 1]; throws naming the setting otherwise. */
  public static double checkedWeight(double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("query.recheck.model-weight=" + weight + ": want a number in [0, 1]");
    }
    return weight;
  }

  /**
   * Audits {@code rows} whose labels are {@code labels}; {@code probabilities} holds each row's model
   * probabilities ({@code [rows, classes]}, row-major) and {@code labelled} each row's list among the other
   * labelled rows, whose labels {@code labelOf} gives (-1 for a row without one).
   */
  public Result audit(int[] rows, int[] labels, double[] probabilities, int classes, NeighborLists labelled,
      IntUnaryOperator labelOf) {
    Objects.requireNonNull(labelled, "labelled");
    int n = rows.length;
    if (labels.length != n || probabilities.length != (long) n * classes) {
      throw new IllegalArgumentException(n + " rows, " + labels.length + " labels, " + probabilities.length
          + " probabilities for " + classes + " classes");
    }
    for (int y : labels) if (y < 0 || y >= classes) throw new IllegalArgumentException("label " + y + " is not a class");
    double[] q = probabilities.clone();
    double[] vote = new double[classes];
    for (int i = 0; i < n; i++) {
      Arrays.fill(vote, 0);
      double total = 0;
      int[] nb = labelled.neighbors(rows[i]);
      float[] s = labelled.similarities(rows[i]);
      for (int j = 0; j < nb.length; j++) {
        int y = labelOf.applyAsInt(nb[j]);
        if (y < 0 || y >= classes || s[j] <= 0) continue;
        vote[y] += s[j];
        total += s[j];
      }
      if (total == 0) continue;
      for (int c = 0; c < classes; c++) {
        q[i * classes + c] = modelWeight * q[i * classes + c] + (1 - modelWeight) * vote[c] / total;
      }
    }
    double[] t = thresholds(q, labels, classes);
    boolean[] suspect = new boolean[n];
    double[] margin = new double[n];
    int[] consensus = new int[n];
    for (int i = 0; i < n; i++) {
      int o = i * classes, y = labels[i];
      int confident = -1, best = 0;
      double other = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double v = q[o + c];
        if (v > q[o + best]) best = c;
        if (v >= t[c] && (confident < 0 || v > q[o + confident])) confident = c;
        if (c != y) other = Math.max(other, v / t[c]);
      }
      consensus[i] = best;
      suspect[i] = confident >= 0 && confident != y;
      margin[i] = q[o + y] / t[y] - other;
    }
    return new Result(rows.clone(), suspect, margin, consensus, t);
  }

  private static double[] thresholds(double[] q, int[] labels, int classes) {
    double[] sum = new double[classes];
    int[] count = new int[classes];
    for (int i = 0; i < labels.length; i++) {
      sum[labels[i]] += q[i * classes + labels[i]];
      count[labels[i]]++;
    }
    double[] t = new double[classes];
    for (int c = 0; c < classes; c++) t[c] = count[c] == 0 ? Double.POSITIVE_INFINITY : sum[c] / count[c];
    return t;
  }
}
