package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CecFixtureTest {
  private static final double TOL = 1e-5;
  private static CecFixture fx;
  private static Selection sel;

  @BeforeAll
  static void run() {
    fx = CecFixture.load();
    CecStrategy cec = new CecStrategy(new CecStrategy.Settings(10, 10, 1.0, new WeightedKMeans.Settings(10, 300, 1e-4)));
    sel = cec.select(fx.pool(), fx.budget(), 0);
  }

  private static void assertClose(String key, double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, key + " length");
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    assertTrue(worst <= TOL, key + ": max |Δ| " + worst + " at " + at);
  }

  @Test
  void priorMatchesReference() {
    assertClose("prior", fx.ref("prior"), sel.roundFacts().get("prior"));
  }

  @Test
  void uncalibratedEntropyMatchesReference() {
    assertClose("entropy", fx.ref("entropy"), sel.rowScores().get("entropy"));
  }

  @Test
  void calibratedEntropyMatchesReference() {
    assertClose("calibrated_entropy", fx.ref("calibrated_entropy"), sel.rowScores().get("calibrated_entropy"));
  }

  @Test
  void neighborEntropyMatchesReference() {
    assertClose("neighbor_entropy", fx.ref("neighbor_entropy"), sel.rowScores().get("neighbor_entropy"));
  }

  @Test
  void uncertaintyMatchesReference() {
    assertClose("uncertainty", fx.ref("uncertainty"), sel.rowScores().get("uncertainty"));
  }

  @Test
  void tenInitsReachScikitLearnsTenInitInertiaWithinOnePercent() {
    // reference: scikit-learn KMeans(n_init=10, init="k-means++") with the same weights
    double ref = fx.reference().get("weighted_inertia").asDouble();
    assertTrue(sel.objective() <= 1.01 * ref, "inertia " + sel.objective() + " vs reference " + ref);
  }

  @Test
  void selectsBudgetDistinctRowsOnePerCluster() {
    int[] rows = sel.rows();
    assertEquals(fx.budget(), rows.length);
    assertEquals(rows.length, Arrays.stream(rows).distinct().count());
    assertEquals(fx.budget(), sel.picks().stream().mapToInt(Pick::cluster).distinct().count());
  }

  @Test
  void reportsEveryPhaseTiming() {
    assertTrue(sel.timingsMs().keySet().containsAll(java.util.List.of("scores", "neighbors", "kmeans", "total")));
  }
}
