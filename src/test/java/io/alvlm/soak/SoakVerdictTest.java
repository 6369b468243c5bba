package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.chaos.Invariants;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
  private static final Invariants CLEAN = Invariants.check(Set.of("img-0", "img-1"), Set.of("bad-2-garbage"),
      new Invariants.Observed(List.of("img-0", "img-1"), List.of("img-0"), List.of("img-0"), List.of("img-0"), List.of("bad-2-garbage")));
  private static final Invariants LOST_ONE = Invariants.check(Set.of("img-0", "img-1"), Set.of(),
      new Invariants.Observed(List.of("img-0"), List.of(), List.of(), List.of(), List.of()));

  @Test
  void theLastLineHasTheIssuesShape() {
    SoakVerdict v = new SoakVerdict(30.0, 180000, 12, 12, CLEAN, 0.06, 0.31, 0.0, 4100, true, 0);
    assertEquals("soak: 30.0 min 180000 images 12 faults; lost 0 duplicated 0; rss slope embedder 0.1 pool 0.3 trainer 0.0 MiB/h; "
        + "max lag 4100; recovered 12/12", v.line());
    assertTrue(v.ok(), v.problems().toString());
  }

  @Test
  void aLongRunFailsOnAGrowingResidentSetAShortOneDoesNot() {
    SoakVerdict longRun = new SoakVerdict(30.0, 1000, 12, 12, CLEAN, 0.1, 5.2, 0.0, 10, true, 0);
    assertEquals(List.of("the pool's resident set grows 5.2 MiB/h (want < 5)"), longRun.problems());
    SoakVerdict shortRun = new SoakVerdict(3.0, 1000, 4, 4, CLEAN, 80.0, 120.0, Double.NaN, 10, true, 0);
    assertFalse(shortRun.slopesJudged());
    assertTrue(shortRun.ok(), shortRun.problems().toString());
  }

  @Test
  void lossAFaultNotRecoveredAndARestlessEndEachFail() {
    SoakVerdict v = new SoakVerdict(3.0, 3, 4, 3, LOST_ONE, 0, 0, 0, 0, false, 1);
    assertTrue(v.line().contains("lost 1 duplicated 0") && v.line().endsWith("recovered 3/4"), v.line());
    List<String> p = v.problems();
    assertTrue(p.stream().anyMatch(s -> s.startsWith("1 images never embedded")), p.toString());
    assertTrue(p.contains("1 of 4 faults not recovered from in time"), p.toString());
    assertTrue(p.contains("the loop did not come to rest after the feed stopped"), p.toString());
    assertTrue(p.contains("processes ended by themselves 1 times (see the logs folder)"), p.toString());
  }
}
