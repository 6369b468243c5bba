package io.alvlm.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deadlines of the pool's pending requests, earliest first. In memory only: the pool store holds
 * each pending image's deadline, and the processor refills the queue from it on restore.
 */
final class DeadlineQueue {
  private final TreeMap<Long, TreeSet<String>> byDeadline = new TreeMap<>();

  void add(PendingRequest p) {
    byDeadline.computeIfAbsent(p.deadline(), d -> new TreeSet<>()).add(p.id());
  }

  /** Forgets {@code id}'s deadline (it was answered); nothing when it had none. */
  void drop(String id, long deadline) {
    TreeSet<String> ids = byDeadline.get(deadline);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        byDeadline.remove(deadline);
      }
    }
  }

  /** Removes and returns the ids whose deadline is at or before {@code now}, earliest deadline first. */
  List<String> due(long now) {
    List<String> out = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.firstKey() <= now) {
      out.addAll(byDeadline.pollFirstEntry().getValue());
    }
    return out;
  }

  int size() {
    return byDeadline.values().stream().mapToInt(TreeSet::size).sum();
  }
}
