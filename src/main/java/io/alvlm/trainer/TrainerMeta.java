package io.alvlm.trainer;

import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trainer task's state besides its labelled set, kept in the changelogged {@code trainer-meta}
 * store so it commits with the labels: new labels since the last retraining, whether one is wanted
 * or was running when the instance stopped, the last version published, and the retrainings that
 * failed since then, by reason. The store's keys are written here and nowhere else.
 */
final class TrainerMeta {
  static final String STORE = "trainer-meta";
  /**
   * Why a retraining failed. The failures since the last published model are counted here and
   * recorded in that model's metrics as {@code failures_<reason>} (dashes as underscores).
   */
  static final List<String> FAILURE_REASONS = List.of("check-failed", "timeout", "error");
  private static final String TRAINING = "training";
  private static final String RETRAIN = "retrain";
  private static final String NEW_LABELS = "newLabels";
  private static final String PUBLISHED = "published";
  private static final String FAILED = "failed.";
  private final KeyValueStore<String, Long> store;

  TrainerMeta(KeyValueStore<String, Long> store) {
    this.store = store;
  }

  private long get(String k) {
    Long v = store.get(k);
    return v == null ? 0 : v;
  }

  /** Counts a new label; returns the labels new since the last retraining started. */
  long labelArrived() {
    long n = get(NEW_LABELS) + 1;
    store.put(NEW_LABELS, n);
    return n;
  }

  long newLabels() {
    return get(NEW_LABELS);
  }

  void wantRetraining() {
    store.put(RETRAIN, 1L);
  }

  boolean retrainingWanted() {
    return store.get(RETRAIN) != null;
  }

  /** A retraining takes the wanted one and the labels counted for it. */
  void retrainingTaken() {
    store.delete(RETRAIN);
    store.put(NEW_LABELS, 0L);
  }

  /** Committed with the trigger's removal: an instance that dies mid-training retrains after restart. */
  void trainingStarted() {
    store.put(TRAINING, 1L);
  }

  void trainingEnded() {
    store.delete(TRAINING);
  }

  /** Whether a retraining was running when the instance stopped. */
  boolean wasTraining() {
    return store.get(TRAINING) != null;
  }

  /** The last version this task published; 0 before any. */
  long published() {
    return get(PUBLISHED);
  }

  boolean hasPublished() {
    return store.get(PUBLISHED) != null;
  }

  void published(long version) {
    store.put(PUBLISHED, version);
  }

  void failed(String reason) {
    store.put(FAILED + reason, get(FAILED + reason) + 1);
  }

  /** Failures for {@code reason} since the last published model. */
  long failures(String reason) {
    return get(FAILED + reason);
  }

  void clearFailures() {
    FAILURE_REASONS.forEach(reason -> store.delete(FAILED + reason));
  }
}
