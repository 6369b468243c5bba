package io.alvlm.eval;

import io.alvlm.review.AnnotatorAgreement;
import io.alvlm.review.LabelAudit;
import io.alvlm.selection.PoolStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labels of one replay as plain data: per pool row its kind (unlabelled, answered by an annotator, or
 * pseudo-labelled from a near-copy), its current label, the labelled row a pseudo-label comes from, every
 * answer given ({@code row, annotator, label, round}) and every wrong label that stood
 * ({@code row, round given, round first flagged or -1}). A re-answered label replaces the old one.
 * {@link #state}/{@link #of} round-trip it through JSON.
 */
final class LabelLedger {
  static final int UNLABELLED = 0, ANSWERED = 1, PSEUDO = 2;

  /** The ledger as saved; arrays are the ledger's own. */
  record State(int[] kind, int[] label, int[] source, List<Integer> order, List<int[]> answers, List<int[]> wrong,
      float[][] askedWith, int requested) {}

  private final int[] truth;
  private final int[] kind;
  private final int[] label;
  private final int[] source;
  /** Rows in the order they were first labelled (answered or pseudo): the order training reads them in. */
  private final List<Integer> order;
  private final List<int[]> answers;
  private final List<int[]> wrong;
  /** Per row, the class probabilities of the model current when it was first asked (null until then). */
  private final float[][] askedWith;
  private int requested;

  LabelLedger(int[] truth) {
    this(truth, new State(new int[truth.length], filled(truth.length), filled(truth.length), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>(), new float[truth.length][], 0));
  }

  private LabelLedger(int[] truth, State s) {
    this.truth = truth;
    this.kind = s.kind();
    this.label = s.label();
    this.source = s.source();
    this.order = new ArrayList<>(s.order());
    this.answers = new ArrayList<>(s.answers());
    this.wrong = new ArrayList<>(s.wrong());
    this.askedWith = s.askedWith();
    this.requested = s.requested();
  }

  static LabelLedger of(int[] truth, State s) {
    if (s.kind().length != truth.length) throw new IllegalStateException("saved labels cover " + s.kind().length + " rows, the pool " + truth.length);
    return new LabelLedger(truth, s);
  }

  State state() {
    return new State(kind, label, source, order, answers, wrong, askedWith, requested);
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  /** An annotator's answer for {@code row} in {@code round}: a first label, or one that replaces the old (a correction). */
  void answer(int row, int annotator, int answer, int round) {
    requested++;
    answers.add(new int[] {row, annotator, answer, round});
    boolean changed = label[row] != answer;
    if (kind[row] == UNLABELLED) order.add(row);
    kind[row] = ANSWERED;
    source[row] = -1;
    label[row] = answer;
    // each wrong label that comes to stand is an error of its own, with its own two-round window
    if (changed && answer != truth[row]) wrong.add(new int[] {row, round, -1});
  }

  private int[] lastWrong(int row) {
    for (int i = wrong.size() - 1; i >= 0; i--) if (wrong.get(i)[0] == row) return wrong.get(i);
    return null;
  }

  /** Keeps {@code p} as the probabilities {@code row} was first asked with (a later ask keeps the first). */
  void askedWith(int row, double[] p, int from, int classes) {
    if (askedWith[row] != null) return;
    float[] f = new float[classes];
    for (int c = 0; c < classes; c++) f[c] = (float) p[from + c];
    askedWith[row] = f;
  }

  /** The probabilities of {@code rows} when first asked, {@code [rows, classes]}. */
  double[] askedWith(int[] rows, int classes) {
    double[] out = new double[rows.length * classes];
    for (int i = 0; i < rows.length; i++) {
      float[] p = askedWith[rows[i]];
      // a folder from before the audit kept no probabilities: the model says nothing about those labels
      for (int c = 0; c < classes; c++) out[i * classes + c] = p == null ? 1.0 / classes : p[c];
    }
    return out;
  }

  /** {@code row} takes the label of {@code from} (an answered row, or the row a pseudo-label came from). */
  void pseudo(int row, int from) {
    int src = kind[from] == PSEUDO ? source[from] : from;
    if (kind[row] == UNLABELLED) order.add(row);
    kind[row] = PSEUDO;
    source[row] = src;
  }

  /** Records that the audit of {@code round} flagged {@code row}; returns whether its label is wrong. */
  boolean flag(int row, int round) {
    if (label[row] == truth[row]) return false;
    int[] w = lastWrong(row);
    if (w != null && w[2] < 0) w[2] = round;
    return true;
  }

  /**
   * Wrong labels whose two-round window closed with the audit of {@code round} (given in round − 2): how many,
   * and how many of them were flagged within it.
   */
  int[] closedWindow(int round) {
    int closed = 0, caught = 0;
    for (int[] w : wrong) {
      if (w[1] == round - 2) {
        closed++;
        if (w[2] >= 0 && w[2] <= round) caught++;
      }
    }
    return new int[] {closed, caught};
  }

  int kind(int row) {
    return kind[row];
  }

  /** The label a row trains with: its answer, or its pseudo-label's source's answer; -1 when none. */
  int label(int row) {
    return kind[row] == PSEUDO ? label[source[row]] : kind[row] == ANSWERED ? label[row] : -1;
  }

  /** Rows of the pool. */
  int rows() {
    return kind.length;
  }

  int truth(int row) {
    return truth[row];
  }

  int requested() {
    return requested;
  }

  /** Rows of kind {@code k} in the order they were first labelled. */
  int[] rows(int k) {
    return order.stream().mapToInt(Integer::intValue).filter(r -> kind[r] == k).toArray();
  }

  /** The pool's states as a strategy sees them: answered and pseudo-labelled rows are out of the pool. */
  PoolStatus[] status() {
    PoolStatus[] s = new PoolStatus[kind.length];
    for (int r = 0; r < s.length; r++) s[r] = kind[r] == UNLABELLED ? PoolStatus.UNLABELED : PoolStatus.LABELED;
    return s;
  }

  int[] labels() {
    int[] l = new int[kind.length];
    for (int r = 0; r < l.length; r++) l[r] = label(r);
    return l;
  }

  /** Annotators who answered {@code row} so far, by index. */
  List<Integer> answeredBy(int row) {
    List<Integer> out = new ArrayList<>();
    for (int[] a : answers) if (a[0] == row) out.add(a[1]);
    return out;
  }

  /** Whether {@code row}'s last two answers agree (confirmed: not asked again). */
  boolean confirmed(int row) {
    int last = -1, before = -1;
    for (int[] a : answers) {
      if (a[0] == row) {
        before = last;
        last = a[2];
      }
    }
    return before >= 0 && before == last;
  }

  /**
   * Every answer checked against a reference: the label two annotators gave alike when the row has one,
   * else the audit's consensus class (answers of rows the audit did not cover are not counted).
   */
  AnnotatorAgreement agreement(LabelAudit.Result audit) {
    int[] consensus = filled(kind.length);
    if (audit != null) for (int i = 0; i < audit.rows().length; i++) consensus[audit.rows()[i]] = audit.consensus()[i];
    AnnotatorAgreement a = new AnnotatorAgreement();
    for (int[] ans : answers) {
      int ref = confirmed(ans[0]) ? label[ans[0]] : consensus[ans[0]];
      if (ref >= 0) a.record(SimulatedAnnotators.name(ans[1]), ans[2] == ref);
    }
    return a;
  }

  /** Wrong answers given so far. */
  int wrongAnswers() {
    int n = 0;
    for (int[] a : answers) if (a[2] != truth[a[0]]) n++;
    return n;
  }
}
