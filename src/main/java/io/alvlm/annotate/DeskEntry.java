package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelVote;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One request on the {@link AnnotationDesk}, where it was read, who was shown it and when, the votes
 * and notes given, and whether its label was emitted and written. Guarded by the desk's lock.
 */
final class DeskEntry {
  final AnnotationRequest request;
  final int partition;
  final long offset;
  final Map<String, Long> shownAt = new LinkedHashMap<>();
  final Map<String, LabelVote> votes = new LinkedHashMap<>();
  final Map<String, Long> spentMs = new HashMap<>();
  /** Each voter's latest note, when it gave one. */
  final Map<String, String> notes = new LinkedHashMap<>();
  final Set<String> correcting = new HashSet<>();
  Label emitted;
  boolean written;

  DeskEntry(AnnotationRequest request, int partition, long offset) {
    this.request = request;
    this.partition = partition;
    this.offset = offset;
  }

  String queryId() {
    return request.getQueryId();
  }

  boolean expired(long now) {
    return emitted == null && request.getDeadline().toEpochMilli() <= now;
  }
}
