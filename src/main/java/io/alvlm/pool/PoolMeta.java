package io.alvlm.pool;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pool task's counters, kept in the changelogged {@code pool-meta} store so they commit with the
 * pool's other state: the last round number and time, images arrived since, the model version the
 * pool last scored with, when the pool first ticked, and each open round's unanswered requests. The
 * store's keys are written here and nowhere else.
 */
public final class PoolMeta {
  public static final String STORE = "pool-meta";
  private static final String ROUND = "round";
  private static final String LAST_ROUND_AT = "lastRoundAt";
  private static final String NEW_SINCE_ROUND = "newSinceRound";
  private static final String SCORED_VERSION = "scoredVersion";
  private static final String STARTED_AT = "startedAt";
  private static final String OUTSTANDING = "outstanding:";
  private final KeyValueStore<String, Long> store;

  PoolMeta(KeyValueStore<String, Long> store) {
    this.store = store;
  }

  private long get(String key, long def) {
    Long v = store.get(key);
    return v == null ? def : v;
  }

  /** The last round opened; 0 before the first. */
  long round() {
    return get(ROUND, 0);
  }

  /** When the last round opened (wall-clock ms); -1 before the first. */
  long lastRoundAt() {
    return get(LAST_ROUND_AT, -1);
  }

  long newSinceRound() {
    return get(NEW_SINCE_ROUND, 0);
  }

  void arrived() {
    store.put(NEW_SINCE_ROUND, newSinceRound() + 1);
  }

  /** What {@code n} calls of {@link #arrived} leave in a new pool's counters, by key. */
  static Map<String, Long> afterArrivals(long n) {
    return Map.of(NEW_SINCE_ROUND, n);
  }

  /** The model version the pool's last round scored with; -1 before any. */
  long scoredVersion() {
    return get(SCORED_VERSION, -1);
  }

  void scoredWith(long version) {
    store.put(SCORED_VERSION, version);
  }

  /** When the pool first ticked (wall-clock ms), recorded as {@code now} on the first call. */
  long startedAt(long now) {
    long t = get(STARTED_AT, -1);
    if (t < 0) {
      store.put(STARTED_AT, now);
      return now;
    }
    return t;
  }

  /** Round {@code round} opened with {@code requests}; {@code counted} arrivals went into it, later ones still count. */
  void opened(long round, long at, int requests, long counted) {
    store.put(ROUND, round);
    store.put(LAST_ROUND_AT, at);
    store.put(NEW_SINCE_ROUND, Math.max(0, newSinceRound() - counted));
    if (requests > 0) {
      store.put(OUTSTANDING + round, (long) requests);
    }
  }

  /** One request of {@code round} is answered or expired; true when that was the last one. */
  boolean answered(long round) {
    String k = OUTSTANDING + round;
    Long left = store.get(k);
    if (left == null) {
      return false;
    }
    if (left <= 1) {
      store.delete(k);
      return true;
    }
    store.put(k, left - 1);
    return false;
  }
}
