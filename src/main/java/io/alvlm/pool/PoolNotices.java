package io.alvlm.pool;

import io.alvlm.avro.PoolNotice;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the pool tells the people at the workbench, as a {@link PoolNotice} on the compacted {@code alvlm.notices}:
 * whether the stopping rule paused the rounds, and each annotator's agreement with the rechecks of their labels.
 * The parts report changes here on the stream thread; a notice goes out, in the step's transaction, only when
 * something changed. What the stores hold at a start is taken in silently (the topic has it already).
 */
final class PoolNotices {
  static final String KEY = "pool";

  private final PoolOutputs out;
  private boolean paused;
  private long resumeAt = -1;
  private final Map<String, Double> agreement = new TreeMap<>();
  private final Map<String, Integer> checked = new TreeMap<>();

  PoolNotices(PoolOutputs out) {
    this.out = Objects.requireNonNull(out);
  }

  /** The pause as the stores hold it at a start. */
  void restorePause(boolean paused, long resumeAt) {
    this.paused = paused;
    this.resumeAt = paused ? resumeAt : -1;
  }

  /** An annotator's counts as the stores hold them at a start. */
  void restoreAgreement(String annotator, double estimate, int answered) {
    agreement.put(annotator, estimate);
    checked.put(annotator, answered);
  }

  /** Rounds paused until the pool holds {@code resumeAt} images, or run ({@code paused} false). */
  void pause(boolean paused, long resumeAt, long now) {
    long at = paused ? resumeAt : -1;
    if (paused == this.paused && at == this.resumeAt) return;
    restorePause(paused, resumeAt);
    send(now);
  }

  /** {@code annotator}'s estimate after {@code answered} rechecks of their labels. */
  void agreement(String annotator, double estimate, int answered, long now) {
    restoreAgreement(annotator, estimate, answered);
    send(now);
  }

  private void send(long now) {
    out.notice(new PoolNotice(paused, resumeAt, new TreeMap<>(agreement), new TreeMap<>(checked), Instant.ofEpochMilli(now)),
        now);
  }
}
