package io.alvlm.serde;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the registry client has seen of the registry: failed attempts counted by kind, and whether
 * its last attempt got an answer. Readiness and the {@code alvlm_registry_errors_total{kind}} metric
 * read it. Thread-safe.
 *
 * <p>Kinds: {@code unreachable} (connection refused), {@code connection-dropped} (closed or reset,
 * including a stale pooled connection), {@code timeout}, {@code http-5xx}, {@code http-408},
 * {@code http-429}, and {@code gave-up} (a call that kept failing until its deadline).
 */
public final class RegistryHealth {
  public static final List<String> KINDS =
      List.of("unreachable", "connection-dropped", "timeout", "http-5xx", "http-408", "http-429", "gave-up");

  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile boolean answering = true;

  /** An attempt failed with {@code kind} (one of {@link #KINDS}). */
  void failed(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    if (!kind.equals("gave-up")) {
      answering = false;
    }
  }

  /** The registry answered an attempt (any status that is not "try again later"). */
  void answered() {
    answering = true;
  }

  /** Failed attempts of {@code kind} since start. */
  public long errors(String kind) {
    LongAdder n = errors.get(kind);
    return n == null ? 0 : n.sum();
  }

  /** False from a failed attempt until the next answered one: the registry is down, overloaded or dropping connections. */
  public boolean answering() {
    return answering;
  }
}
