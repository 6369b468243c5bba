package io.alvlm.review;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.selection.FeatureRows;
import io.alvlm.selection.NeighborTable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The audit's arithmetic on a fixed labelled set, and who rechecks. */
class LabelAuditTest {
  /** Three labelled rows of class 0 and three of class 1; row 2 is an image of class 1 labelled 0. */
  private static final int[] ROWS = {0, 1, 2, 3, 4, 5};
  private static final int[] LABELS = {0, 0, 0, 1, 1, 1};
  /** The model when each was asked: confident and right for all but row 2, which it thinks is class 1. */
  private static final double[] P = {0.9, 0.1, 0.8, 0.2, 0.15, 0.85, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8};

  /** Each row's labelled neighbours: row 2 sits among the class-1 rows. */
  private static NeighborTable lists() {
    return new NeighborTable(new int[][] {{1}, {0}, {3, 4}, {4, 2}, {3, 5}, {4, 3}},
        new float[][] {{0.9f}, {0.9f}, {0.9f, 0.8f}, {0.9f, 0.9f}, {0.9f, 0.9f}, {0.9f, 0.9f}});
  }

  @Test
  void flagsTheLabelModelAndNeighboursDisagreeWith() {
    LabelAudit.Result r = new LabelAudit(0.5).audit(ROWS, LABELS, P, 2, lists(), row -> LABELS[row]);
    assertArrayEquals(new boolean[] {false, false, true, false, false, false}, r.suspect());
    assertEquals(1, r.suspects());
    assertEquals(1, r.consensus()[2]);
    // q = 0.5·p + 0.5·(similarity-weighted votes of the labelled neighbours):
    // row 0 (0.95, 0.05), row 1 (0.9, 0.1), row 2 (0.075, 0.925), row 3 (0.3, 0.7), row 4 (0.15, 0.85), row 5 (0.1, 0.9)
    double t0 = (0.95 + 0.9 + 0.075) / 3, t1 = (0.7 + 0.85 + 0.9) / 3;
    assertArrayEquals(new double[] {t0, t1}, r.thresholds(), 1e-9);
    assertEquals(0.075 / t0 - 0.925 / t1, r.margin()[2], 1e-9);
    assertEquals(0.7 / t1 - 0.3 / t0, r.margin()[3], 1e-9);
  }

  @Test
  void theModelAloneSeesWhatItSaw() {
    // α = 1: neighbours ignored; row 2's model probabilities alone make it suspect
    LabelAudit.Result r = new LabelAudit(1).audit(ROWS, LABELS, P, 2, lists(), row -> LABELS[row]);
    assertTrue(r.suspect()[2]);
    // α = 0 with no neighbours: the model's probabilities stand in
    LabelAudit.Result alone = new LabelAudit(0).audit(ROWS, LABELS, P, 2, new NeighborTable(new int[6][0], new float[6][0]),
        row -> LABELS[row]);
    assertArrayEquals(r.suspect(), alone.suspect());
  }

  @Test
  void aClassWithNoLabelIsNeverTheConfidentOne() {
    double[] p = {0.1, 0.1, 0.8, 0.9, 0.05, 0.05};
    LabelAudit.Result r = new LabelAudit(1).audit(new int[] {0, 1}, new int[] {0, 0}, p, 3,
        new NeighborTable(new int[2][0], new float[2][0]), row -> 0);
    assertEquals(Double.POSITIVE_INFINITY, r.thresholds()[2]);
    assertFalse(r.suspect()[0]);
  }

  @Test
  void refusesBadInput() {
    assertThrows(IllegalArgumentException.class, () -> new LabelAudit(1.5));
    assertThrows(IllegalArgumentException.class,
        () -> new LabelAudit(0.5).audit(ROWS, LABELS, new double[3], 2, lists(), row -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new LabelAudit(0.5).audit(new int[] {0}, new int[] {7}, new double[2], 2, lists(), row -> 0));
  }

  @Test
  void rechecksTheMostSuspectWithinTheShare() {
    LabelAudit.Result r = new LabelAudit.Result(new int[] {10, 11, 12, 13}, new boolean[] {true, true, false, true},
        new double[] {-0.2, -0.9, -1.5, -0.5}, new int[4], new double[] {1, 1});
    assertArrayEquals(new int[] {11, 13}, Rechecks.choose(r, 10, 0.2, row -> true));
    assertArrayEquals(new int[] {11}, Rechecks.choose(r, 5, 0.2, row -> true));
    assertArrayEquals(new int[] {13, 10}, Rechecks.choose(r, 10, 0.5, row -> row != 11));
    assertArrayEquals(new int[0], Rechecks.choose(r, 4, 0.2, row -> true));
    assertThrows(IllegalArgumentException.class, () -> Rechecks.choose(r, 10, 1.2, row -> true));
  }

  @Test
  void agreementIsLaplaceSmoothedAndPicksAnotherAnnotator() {
    AnnotatorAgreement a = new AnnotatorAgreement();
    for (int i = 0; i < 8; i++) a.record("alice", true);
    a.record("bob", true);
    a.record("bob", false);
    assertEquals(0.9, a.estimate("alice"), 1e-12);
    assertEquals(0.5, a.estimate("bob"), 1e-12);
    assertEquals(0.5, a.estimate("carol"), 1e-12);
    assertEquals(8, a.checked("alice"));
    assertEquals("bob", a.recheckBy(List.of("alice", "bob", "carol"), Set.of("alice")));
    assertEquals("alice", a.recheckBy(List.of("alice", "bob"), Set.of("bob")));
    assertEquals("alice", a.recheckBy(List.of("alice"), Set.of("alice")));
  }

  @Test
  void labelledNeighboursAreListsAmongLabelledRowsOnly() {
    float[] f = {1, 0, 0.99f, 0.14f, 0, 1, 0.14f, 0.99f, 0.7f, 0.7f};
    FeatureRows rows = FeatureRows.of(io.alvlm.selection.Vectors.normalizedRows(f, 2), 2);
    LabelledNeighbors n = new LabelledNeighbors(2);
    n.add(rows, new int[] {0, 2});
    assertArrayEquals(new int[] {2}, n.neighbors(0));
    n.add(rows, new int[] {1, 3, 0});
    assertEquals(4, n.size());
    assertArrayEquals(new int[] {1, 3}, n.neighbors(0));
    assertFalse(n.contains(4));
    assertArrayEquals(new int[0], n.neighbors(4));
  }
}
