package io.alvlm.pool;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pool task's counters, kept in the changelogged {@code pool-meta} store so they commit with the
 * pool's other state: the last round number and time, images arrived since, the model version the
 * pool last scored with, and each open round's unanswered requests.
 */
public final class PoolMeta {
  public static final String STORE = "pool-meta";
  private final KeyValueStore<String, Long> store;

  PoolMeta(KeyValueStore<String, Long> store) {
    this.store = store;
  }

  long get(String key, long def) {
    Long v = store.get(key);
    return v == null ? def : v;
  }

  void put(String key, long value) {
    store.put(key, value);
  }

  long round() {
    return get("round", 0);
  }

  long lastRoundAt() {
    return get("lastRoundAt", -1);
  }

  long newSinceRound() {
    return get("newSinceRound", 0);
  }

  void arrived() {
    put("newSinceRound", newSinceRound() + 1);
  }

  long scoredVersion() {
    return get("scoredVersion", -1);
  }

  /** Round {@code round} opened with {@code requests}; {@code counted} arrivals went into it, later ones still count. */
  void opened(long round, long at, int requests, long counted) {
    put("round", round);
    put("lastRoundAt", at);
    put("newSinceRound", Math.max(0, newSinceRound() - counted));
    if (requests > 0) {
      put("outstanding:" + round, requests);
    }
  }

  /** One request of {@code round} is answered or expired; true when that was the last one. */
  boolean answered(long round) {
    String k = "outstanding:" + round;
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
