package io.alvlm.annotate;

import io.alvlm.avro.PoolNotice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the workbench's progress panel shows ({@code GET /api/progress}): the desk's {@link AnnotationDesk.Progress},
 * whether the pool paused the rounds (and at what pool size they open again by themselves), and per annotator
 * the agreement of the rechecks of their labels, from the pool's latest {@link PoolNotice}. An annotator the pool
 * has agreement for but who answered nothing here gets a row too.
 */
final class ProgressView {
  private ProgressView() {}

  static Map<String, Object> of(AnnotationDesk.Progress p, Optional<PoolNotice> notice) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("round", p.round());
    out.put("labelledThisRound", p.labelledThisRound());
    out.put("remainingThisRound", p.remainingThisRound());
    out.put("remaining", p.remaining());
    out.put("paused", notice.map(PoolNotice::getPaused).orElse(false));
    out.put("resumeAtImages", notice.filter(PoolNotice::getPaused).map(PoolNotice::getResumeAtImages).orElse(-1L));
    Map<String, Double> agreement = notice.map(PoolNotice::getAgreement).orElse(Map.of());
    Map<String, Integer> checked = notice.map(PoolNotice::getChecked).orElse(Map.of());
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> named = new ArrayList<>();
    for (AnnotationDesk.Tally t : p.annotators()) {
      rows.add(row(t.annotator(), t.answers(), t.secondsPerAnswer(), agreement, checked));
      named.add(t.annotator());
    }
    agreement.keySet().stream().filter(a -> !named.contains(a)).sorted().forEach(a -> rows.add(row(a, 0, 0, agreement, checked)));
    out.put("annotators", rows);
    return out;
  }

  private static Map<String, Object> row(String annotator, long answers, double seconds, Map<String, Double> agreement,
      Map<String, Integer> checked) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("annotator", annotator);
    m.put("answers", answers);
    m.put("secondsPerAnswer", seconds);
    m.put("agreement", agreement.get(annotator)); // null until a recheck of their labels was answered
    m.put("checked", checked.getOrDefault(annotator, 0));
    return m;
  }
}
