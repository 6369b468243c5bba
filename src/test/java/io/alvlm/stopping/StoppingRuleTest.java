package io.alvlm.stopping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Kappa, the stop set, the forecast and when the rule fires. */
class StoppingRuleTest {
  private static final StoppingRule.Settings STABLE = new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.9, 2, 0.0005, 100);

  @Test
  void kappaOfATextbookTable() {
    // 50 items: both say A on 20, both B on 15, first A second B on 5, first B second A on 10
    int[] a = new int[50], b = new int[50];
    for (int i = 0; i < 50; i++) {
      a[i] = i < 25 ? 0 : 1;
      b[i] = i < 20 ? 0 : i < 25 ? 1 : i < 35 ? 0 : 1;
    }
    // p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5
    assertEquals(0.4, CohenKappa.of(a, b, 2), 1e-12);
    assertEquals(0.7, CohenKappa.agreement(a, b), 1e-12);
    assertEquals(1, CohenKappa.of(a, a, 2), 1e-12);
    assertEquals(1, CohenKappa.of(new int[] {1, 1}, new int[] {1, 1}, 3), 1e-12);
  }

  @Test
  void stopSetIsSeededSortedAndDrawnFromTheCandidates() {
    int[] s = StopSet.draw(1000, r -> r % 3 != 0, 50, 7);
    assertEquals(50, s.length);
    assertArrayEquals(s, StopSet.draw(1000, r -> r % 3 != 0, 50, 7));
    assertFalse(Arrays.equals(s, StopSet.draw(1000, r -> r % 3 != 0, 50, 8)));
    for (int i = 0; i < s.length; i++) {
      assertTrue(s[i] % 3 != 0);
      if (i > 0) assertTrue(s[i] > s[i - 1]);
    }
    assertEquals(666, StopSet.draw(1000, r -> r % 3 != 0, 5000, 7).length);
  }

  @Test
  void forecastReadsAPowerLawExactly() {
    double[] n = {30, 60, 90, 120};
    double[] d = Arrays.stream(n).map(x -> 2 * Math.pow(x, -0.7)).toArray();
    assertEquals(2 * Math.pow(150, -0.7), GainForecast.at(150, n, d), 1e-9);
    assertTrue(Double.isNaN(GainForecast.at(60, new double[] {30}, new double[] {0.3})));
    // only the last WINDOW points count
    double[] n6 = {10, 30, 60, 90, 120};
    double[] d6 = {0.9, 2 * Math.pow(30, -0.7), d[1], d[2], d[3]};
    double[] n7 = {5, 10, 30, 60, 90, 120};
    double[] d7 = {0.01, 0.9, 2 * Math.pow(30, -0.7), d[1], d[2], d[3]};
    assertTrue(Math.abs(2 * Math.pow(150, -0.7) - GainForecast.at(150, n6, d6)) > 1e-3, "five points: the first counts");
    assertEquals(GainForecast.at(150, n6, d6), GainForecast.at(150, n7, d7), 1e-12);
  }

  /** Predictions that change on {@code changed} of 100 items from {@code before}. */
  private static int[] changing(int[] before, int changed) {
    int[] p = before.clone();
    for (int i = 0; i < changed; i++) p[i] = (p[i] + 1) % 4;
    return p;
  }

  @Test
  void stableFiresOnceKappaHeldAndTheModelsStoppedSettling() {
    int[] p = IntStream.range(0, 100).map(i -> i % 4).toArray();
    StoppingRule rule = new StoppingRule(STABLE, 4, p);
    int[] changes = {60, 30, 10, 5, 4, 4, 4, 4, 4, 4};
    boolean[] fired = new boolean[changes.length];
    double[] settling = new double[changes.length];
    for (int r = 0; r < changes.length; r++) {
      p = changing(p, changes[r]);
      StoppingRule.Assessment a = rule.observe(30 * (r + 1), p);
      assertEquals(changes[r] / 100.0, a.changed(), 1e-12);
      fired[r] = a.fired();
      settling[r] = a.settling();
    }
    // kappa ≥ 0.9 from the fourth model on, twice by the fifth; the fitted fall reaches zero once the last five
    // models changed alike (the ninth), and the rule stays fired
    assertArrayEquals(new boolean[] {false, false, false, false, false, false, false, false, true, true}, fired,
        Arrays.toString(settling));
    assertTrue(Double.isNaN(settling[0]) && settling[4] > 0.0005);
    assertTrue(rule.fired());
    rule.resume();
    assertFalse(rule.fired());
  }

  @Test
  void neverNeverFiresAndTheKappaFloorHoldsBackAPlateauOfLargeChanges() {
    int[] p = IntStream.range(0, 100).map(i -> i % 4).toArray();
    StoppingRule never = new StoppingRule(new StoppingRule.Settings(StoppingRule.Mode.NEVER, 0.5, 1, 1, 100), 4, p);
    StoppingRule floor = new StoppingRule(new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.9, 1, 0.0005, 100), 4, p);
    StoppingRule low = new StoppingRule(new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.5, 1, 0.0005, 100), 4, p);
    int[] q = p;
    for (int r = 1; r <= 6; r++) {
      q = changing(q, 20);
      assertFalse(never.observe(30 * r, q).fired());
      assertFalse(floor.observe(30 * r, q).fired(), "a fifth of the predictions still change each round");
      assertEquals(r >= 2, low.observe(30 * r, q).fired(), "round " + r);
    }
  }

  @Test
  void aRestoredRuleGoesOnWhereItStopped() {
    int[] p = IntStream.range(0, 100).map(i -> i % 4).toArray();
    StoppingRule a = new StoppingRule(STABLE, 4, p);
    a.observe(30, changing(p, 40));
    StoppingRule b = StoppingRule.restore(STABLE, 4, a.snapshot());
    int[] next = changing(changing(p, 40), 5);
    assertEquals(a.observe(60, next), b.observe(60, next));
  }

  @Test
  void settingsNameTheirKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StoppingRule.Settings(StoppingRule.Mode.STABLE, 2, 1, 0.1, 10));
    assertTrue(e.getMessage().contains("query.stop.kappa"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StoppingRule.Mode.parse("sometimes"));
    assertEquals(StoppingRule.Mode.STABLE, StoppingRule.Mode.parse(" Stable"));
  }
}
