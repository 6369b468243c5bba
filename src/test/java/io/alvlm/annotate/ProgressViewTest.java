package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.alvlm.avro.PoolNotice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The progress panel's JSON: the desk's counts, the pool's pause and each annotator's agreement. */
class ProgressViewTest {
  private static final AnnotationDesk.Progress PROGRESS = new AnnotationDesk.Progress(3, 4, 6, 9,
      List.of(new AnnotationDesk.Tally("ann", 12, 2.5), new AnnotationDesk.Tally("bob", 3, 4.0)));

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> view) {
    return (List<Map<String, Object>>) view.get("annotators");
  }

  @Test
  void beforeAnyNoticeRoundsRunAndNobodyHasAnAgreement() {
    Map<String, Object> v = ProgressView.of(PROGRESS, Optional.empty());
    assertEquals(false, v.get("paused"));
    assertEquals(-1L, v.get("resumeAtImages"));
    assertEquals(3L, v.get("round"));
    assertNull(rows(v).get(0).get("agreement"));
    assertEquals(0, rows(v).get(0).get("checked"));
  }

  @Test
  void aNoticeSaysWhetherRoundsArePausedAndGivesEachAnnotatorTheirAgreement() {
    PoolNotice n = new PoolNotice(true, 330L, Map.of("ann", 0.75, "cy", 0.25), Map.of("ann", 2, "cy", 2), Instant.EPOCH);
    Map<String, Object> v = ProgressView.of(PROGRESS, Optional.of(n));
    assertEquals(true, v.get("paused"));
    assertEquals(330L, v.get("resumeAtImages"));
    List<Map<String, Object>> rows = rows(v);
    assertEquals(List.of("ann", "bob", "cy"), rows.stream().map(r -> r.get("annotator")).toList(),
        "cy answered nothing here, but her labels were rechecked");
    assertEquals(0.75, rows.get(0).get("agreement"));
    assertEquals(2, rows.get(0).get("checked"));
    assertNull(rows.get(1).get("agreement"), "none of bob's labels was rechecked");
    assertEquals(0L, rows.get(2).get("answers"));
    PoolNotice running = new PoolNotice(false, -1L, Map.of(), Map.of(), Instant.EPOCH);
    assertEquals(false, ProgressView.of(PROGRESS, Optional.of(running)).get("paused"));
  }
}
