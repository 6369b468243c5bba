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
  private static final StoppingRule.Settings STABLE = new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.9, 2, 0.05, 100);

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
    double[] n6 = {10, 20, 30, 60, 90, 120};
    double[] d6 = {0.9, 0.9, 2 * Math.pow(30, -0.7), d[1], d[2], d[3]};
    assertEquals(2 * Math.pow(150, -0.7), GainForecast.at(150, n6, d6), 1e-9);
  }

  /** Predictions that change on {@code changed} of 100 items from {@code before}. */
  private static int[] changing(int[] before, int changed) {
    int[] p = before.clone();
    for (int i = 0; i < changed; i++) p[i] = (p[i] + 1) % 4;
    return p;
  }

  @Test
  void stableFiresOnceKappaHeldAndTheForecastIsSmall() {
    int[] p = IntStream.range(0, 100).map(i -> i % 4).toArray();
    StoppingRule rule = new StoppingRule(STABLE, 4, p);
    int labels = 0;
    int[] changes = {60, 30, 5, 3, 2};
    boolean[] fired = new boolean[changes.length];
    for (int r = 0; r < changes.length; r++) {
      labels += 30;
      p = changing(p, changes[r]);
      StoppingRule.Assessment a = rule.observe(labels, p);
      assertEquals(changes[r] / 100.0, a.changed(), 1e-12);
      fired[r] = a.fired();
    }
    // kappa ≥ 0.9 from the third model on; two in a row by the fourth, whose forecast is small
    assertArrayEquals(new boolean[] {false, false, false, true, true}, fired);
    assertTrue(rule.fired());
    rule.resume();
    assertFalse(rule.fired());
  }

  @Test
  void neverNeverFiresAndALargeForecastHoldsStableBack() {
    int[] p = IntStream.range(0, 100).map(i -> i % 4).toArray();
    StoppingRule never = new StoppingRule(new StoppingRule.Settings(StoppingRule.Mode.NEVER, 0.9, 1, 1, 100), 4, p);
    StoppingRule strict = new StoppingRule(new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.5, 1, 0.001, 100), 4, p);
    int[] q = p;
    for (int r = 1; r <= 4; r++) {
      q = changing(q, 10);
      assertFalse(never.observe(30 * r, q).fired());
      StoppingRule.Assessment a = strict.observe(30 * r, q);
      assertTrue(a.stable());
      assertFalse(a.fired(), "changes stay at 10%: the forecast never drops under 0.1%");
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
