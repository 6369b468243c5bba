package io.alvlm.broker;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Faults queued per kind of registry request, each played on one request: an HTTP error or a dropped connection. */
final class InjectedFaults {
  /** @param status the HTTP status to answer, or 0 to drop the connection */
  record Fault(int status, String retryAfter, boolean afterHandling) {}

  private final Map<String, Queue<Fault>> queued = new ConcurrentHashMap<>();

  void add(String kind, int times, Fault f) {
    Queue<Fault> q = queued.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>());
    for (int i = 0; i < times; i++) {
      q.add(f);
    }
  }

  /** The fault for the next request of {@code kind}, or null. */
  Fault next(String kind) {
    Queue<Fault> q = queued.get(kind);
    return q == null ? null : q.poll();
  }
}
