package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the first round asks with each cold start, on a pool of dense groups and scattered outliers. */
class ColdStartTest {
  private static final int DIM = 8;
  private static final int GROUPS = 4;
  private static final int PER_GROUP = 40;
  private static final int OUTLIERS = 40;
  /** Rows [0, 160): four tight groups (group = row / 40); rows [160, 200): outliers in every direction. */
  private static final PoolView POOL = pool();

  private static PoolView pool() {
    Random r = new Random(3);
    int n = GROUPS * PER_GROUP + OUTLIERS;
    float[] f = new float[n * DIM];
    for (int i = 0; i < n; i++) {
      boolean outlier = i >= GROUPS * PER_GROUP;
      if (!outlier) f[i * DIM + i / PER_GROUP] = 1;
      for (int d = 0; d < DIM; d++) f[i * DIM + d] += (float) ((outlier ? 1.0 : 0.05) * r.nextGaussian());
    }
    // class c's text leans towards group c: zero-shot gets the groups right, outliers anywhere
    float[] text = new float[GROUPS * DIM];
    for (int c = 0; c < GROUPS; c++) text[c * DIM + c] = 1;
    return PoolView.unlabeled(f, DIM, text, 100f);
  }

  @Test
  void typicalAsksTheDenseGroupsNotTheOutliers() {
    Selection s = TypicalStrategy.defaults().select(POOL, GROUPS, 1);
    Set<Integer> groups = Arrays.stream(s.rows()).map(r -> r / PER_GROUP).boxed().collect(Collectors.toSet());
    assertEquals(Set.of(0, 1, 2, 3), groups, Arrays.toString(s.rows()));
    float[] t = s.rowScores().get("typicality");
    double outlierMax = 0, groupMin = Double.POSITIVE_INFINITY;
    for (int r = 0; r < POOL.rows(); r++) {
      if (r >= GROUPS * PER_GROUP) outlierMax = Math.max(outlierMax, t[r]);
      else groupMin = Math.min(groupMin, t[r]);
    }
    assertTrue(groupMin > outlierMax, "every group row is more typical than any outlier");
  }

  @Test
  void typicalFillsFromTheMostTypicalWhenGroupsRunOut() {
    PoolStatus[] st = POOL.status().clone();
    // all but one row of groups 0–2 pending: only group 3 and the outliers are eligible
    for (int r = 1; r < 3 * PER_GROUP; r++) st[r] = PoolStatus.PENDING;
    PoolView v = POOL.withStatus(st);
    int[] rows = TypicalStrategy.defaults().select(v, 8, 2).rows();
    assertEquals(8, rows.length);
    for (int r : rows) assertTrue(v.eligible(r));
    assertEquals(8, Arrays.stream(rows).distinct().count());
  }

  @Test
  void classGuidedBalancesThePicksOverZeroShotClasses() {
    Strategy s = ColdStart.CLASS_GUIDED.strategyFor(POOL, Strategies.create("margin", Map.of()));
    int[] rows = s.select(POOL, 8, 3).rows();
    int[] perClass = new int[GROUPS];
    for (int r : rows) perClass[ZeroShotProbabilities.argmax(ZeroShotProbabilities.ofRow(POOL.features().row(r),
        POOL.classText(), GROUPS, 100), 0, GROUPS)]++;
    assertTrue(Arrays.stream(perClass).allMatch(c -> c == 2), Arrays.toString(perClass));
  }

  @Test
  void coldStartOnlyWhileNothingIsLabelled() {
    Strategy margin = Strategies.create("margin", Map.of());
    assertSame(margin, ColdStart.NONE.strategyFor(POOL, margin));
    assertEquals("typical", ColdStart.TYPICAL.strategyFor(POOL, margin).name());
    assertEquals("pcb:typical", ColdStart.CLASS_GUIDED.strategyFor(POOL, margin).name());
    PoolStatus[] st = POOL.status().clone();
    st[0] = PoolStatus.LABELED;
    assertSame(margin, ColdStart.TYPICAL.strategyFor(POOL.withStatus(st), margin));
    st[0] = PoolStatus.PENDING;
    assertEquals("typical", ColdStart.TYPICAL.strategyFor(POOL.withStatus(st), margin).name());
  }

  @Test
  void parsesItsSetting() {
    assertEquals(ColdStart.CLASS_GUIDED, ColdStart.parse("class-guided"));
    assertEquals("class-guided", ColdStart.CLASS_GUIDED.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColdStart.parse("warm"));
    assertTrue(e.getMessage().contains("query.cold-start=warm"), e.getMessage());
  }
}
