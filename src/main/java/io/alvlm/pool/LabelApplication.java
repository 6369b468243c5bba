package io.alvlm.pool;

import io.alvlm.avro.AgreementCount;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import io.alvlm.review.AnnotatorAgreement;
import io.alvlm.selection.PoolStatus;
import io.alvlm.stream.ServiceMetrics;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Moves images between statuses as answers come (a {@link Label}) or fail to come (a request's
 * deadline passes): validates each label (refusing unknown images and classes to the dead-letter
 * topic), counts relabels, sends labelled examples on to the trainer, and tells the trainer when the
 * last open request of a round was answered or expired. An answer replaces a pseudo-label, and the near-copies
 * that took the image's label follow it ({@link Propagation}). The answer to a recheck also counts for or
 * against the annotator of the label it checks ({@link AnnotatorAgreement}, {@code alvlm_annotator_agreement}),
 * counts kept in the changelogged {@code agreement} store and read back at a restart.
 */
final class LabelApplication {
  /** Longest class name a label may carry. */
  static final int MAX_CLASS_NAME = 1000;

  private final PoolState state;
  private final DeadlineQueue deadlines;
  private final PoolOutputs out;
  private final ServiceMetrics metrics;
  /** Per annotator, how often a recheck confirmed their label: the store's counts, in memory. */
  private final AnnotatorAgreement agreement = new AnnotatorAgreement();
  private final KeyValueStore<String, AgreementCount> agreementStore;
  private final Propagation propagation;
  private final PoolNotices notices;

  LabelApplication(PoolState state, DeadlineQueue deadlines, KeyValueStore<String, AgreementCount> agreementStore,
      PoolNotices notices, PoolOutputs out, ServiceMetrics metrics) {
    this.state = Objects.requireNonNull(state);
    this.deadlines = Objects.requireNonNull(deadlines);
    this.agreementStore = Objects.requireNonNull(agreementStore);
    this.out = Objects.requireNonNull(out);
    this.metrics = Objects.requireNonNull(metrics);
    this.propagation = new Propagation(state, metrics);
    this.notices = Objects.requireNonNull(notices);
    try (KeyValueIterator<String, AgreementCount> it = agreementStore.all()) {
      it.forEachRemaining(kv -> {
        agreement.restore(kv.key, kv.value.getAgreed(), kv.value.getChecked());
        metrics.annotatorAgreement(kv.key, agreement.estimate(kv.key));
        notices.restoreAgreement(kv.key, agreement.estimate(kv.key), kv.value.getChecked());
      });
    }
  }

  /** Applies the label that arrived under {@code key} at {@code now}, or refuses it. */
  void apply(String key, Label l, long now) {
    String id = key != null ? key : l.getId();
    if (id == null || !id.equals(l.getId())) {
      reject(id, l, "malformed-record", "label key " + key + " differs from its id " + l.getId());
      return;
    }
    PoolEntry e = state.pool.get(id);
    if (e == null) {
      reject(id, l, "unknown-image", "label for image " + id + ", which the pool has never seen");
      return;
    }
    String cls = l.getClassName();
    if (l.getOutcome() == LabelOutcome.LABELED && !validClass(id, l, cls)) {
      return;
    }
    boolean wasPending = e.getStatus() == ImageStatus.PENDING;
    long answeredRound = wasPending ? PoolState.lastRound(e) : 0;
    PoolIndex index = state.index();
    int row = index.row(id);
    switch (l.getOutcome()) {
      case LABELED -> {
        if (answersRecheck(e, l) && e.getAnnotator() != null) {
          String a = e.getAnnotator();
          agreement.record(a, cls.equals(e.getClassName()));
          agreementStore.put(a, new AgreementCount(agreement.agreed(a), agreement.checked(a)));
          metrics.annotatorAgreement(a, agreement.estimate(a));
          notices.agreement(a, agreement.estimate(a), agreement.checked(a), now);
        }
        boolean answered = e.getStatus() == ImageStatus.LABELED && e.getPseudoFrom() == null; // a pseudo-label is no answer
        if (answered && cls.equals(e.getClassName())) {
          metrics.label("repeat");
          return;
        }
        if (answered) {
          e.setRelabels(e.getRelabels() + 1);
          metrics.label("relabel");
        } else {
          metrics.label("labeled");
        }
        e.setStatus(ImageStatus.LABELED);
        e.setClassName(cls);
        e.setAnnotator(l.getAnnotator());
        index.setStatus(row, PoolStatus.LABELED, state.label(cls));
        propagation.answered(e, row, cls, index);
        out.training(id, TrainingEvent.newBuilder().setType(TrainingEventType.EXAMPLE).setId(id).setClassName(cls)
            .setVector(VectorBytes.float32(PoolCodec.vector(e))).setDim(e.getDim()).setRound(answeredRound)
            .setAt(Instant.ofEpochMilli(now)).build(), now);
      }
      case NONE_OF_THESE -> {
        metrics.label("none-of-these");
        e.setStatus(ImageStatus.LABELED);
        e.setClassName(null);
        e.setAnnotator(l.getAnnotator());
        index.setStatus(row, PoolStatus.LABELED, -1);
        propagation.answered(e, row, null, index);
      }
      case SKIPPED -> {
        metrics.label("skipped");
        if (!wasPending) {
          return;
        }
        e.setStatus(ImageStatus.UNLABELED);
        index.setStatus(row, PoolStatus.UNLABELED, -1);
      }
      default -> throw new IllegalStateException("unhandled outcome " + l.getOutcome());
    }
    if (wasPending) {
      deadlines.drop(e.getId(), e.getDeadline());
      e.setDeadline(0);
    }
    state.pool.put(id, e);
    if (wasPending && state.meta.answered(answeredRound)) {
      roundComplete(answeredRound, now);
    }
  }

  /** Whether {@code l} answers the recheck of {@code e}'s label (it echoes the recheck's query id). */
  private static boolean answersRecheck(PoolEntry e, Label l) {
    return e.getStatus() == ImageStatus.LABELED && e.getQueryId() != null
        && e.getQueryId().endsWith("-" + QueryRounds.RECHECK) && e.getQueryId().equals(l.getQueryId());
  }

  /** Returns the images whose request is past its deadline at {@code now} to the unlabelled pool. */
  void expire(long now) {
    for (String id : deadlines.due(now)) {
      PoolEntry e = state.pool.get(id);
      if (e == null || e.getStatus() != ImageStatus.PENDING) {
        continue;
      }
      long round = PoolState.lastRound(e);
      e.setStatus(ImageStatus.UNLABELED);
      e.setDeadline(0);
      state.pool.put(id, e);
      PoolIndex index = state.index();
      index.setStatus(index.row(id), PoolStatus.UNLABELED, -1);
      metrics.label("expired");
      if (state.meta.answered(round)) {
        roundComplete(round, now);
      }
    }
  }

  private boolean validClass(String id, Label l, String cls) {
    if (cls == null || cls.isBlank()) {
      reject(id, l, "malformed-record", "label for image " + id + " has outcome LABELED but no className");
      return false;
    }
    if (cls.length() > MAX_CLASS_NAME) {
      reject(id, l, "malformed-record", "label for image " + id + ": className of " + cls.length()
          + " characters, longer than " + MAX_CLASS_NAME);
      return false;
    }
    if (!state.classNames.contains(cls)) {
      reject(id, l, "unknown-class", "label for image " + id + ": class '" + cls + "' is not one of " + state.classNames);
      return false;
    }
    return true;
  }

  private void roundComplete(long round, long now) {
    out.training("round-" + round, TrainingEvent.newBuilder().setType(TrainingEventType.ROUND_COMPLETE)
        .setId(Long.toString(round)).setRound(round).setAt(Instant.ofEpochMilli(now)).build(), now);
  }

  private void reject(String id, Label l, String reason, String message) {
    metrics.label("rejected");
    out.refuse(id, l, reason, message);
  }
}
