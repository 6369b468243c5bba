package io.alvlm.pool;

import io.alvlm.selection.PoolStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which image sits at which row of the pool, with its status and label, and how many rows hold each
 * status. Rows follow arrival order and are stored with each image, so they survive restarts; a row
 * without an image (lost with its record) is a hole. Not thread-safe: owned by the pool task's thread.
 */
final class RowTable {
  private final Map<String, Integer> rows = new HashMap<>();
  private final List<String> ids = new ArrayList<>();
  private PoolStatus[] status = new PoolStatus[0];
  private int[] labels = new int[0];
  private final EnumMap<PoolStatus, Integer> counts = new EnumMap<>(PoolStatus.class);
  private int size;

  RowTable() {
    for (PoolStatus s : PoolStatus.values()) counts.put(s, 0);
  }

  /** Rows in use: one past the largest row placed. */
  int size() {
    return size;
  }

  Integer row(String id) {
    return rows.get(id);
  }

  String id(int row) {
    return ids.get(row);
  }

  /** {@code row}'s status; null for a hole. */
  PoolStatus status(int row) {
    return status[row];
  }

  int count(PoolStatus s) {
    return counts.get(s);
  }

  /** Refuses an image that is in the table already, or a row that holds another image. */
  void checkFree(String id, int row) {
    if (rows.containsKey(id)) {
      throw new IllegalArgumentException("image " + id + " is already in the pool");
    }
    if (row < size && ids.get(row) != null) {
      throw new IllegalArgumentException("image " + id + ": row " + row + " already holds image " + ids.get(row));
    }
  }

  void place(String id, int row, PoolStatus s, int label) {
    ensureCapacity(row + 1);
    while (ids.size() <= row) ids.add(null);
    ids.set(row, id);
    rows.put(id, row);
    size = Math.max(size, row + 1);
    status[row] = s;
    labels[row] = label;
    counts.merge(s, 1, Integer::sum);
  }

  /** Moves {@code row} to {@code s} with {@code label}; returns the status it had. */
  PoolStatus setStatus(int row, PoolStatus s, int label) {
    PoolStatus old = status[row];
    labels[row] = label;
    if (old != s) {
      counts.merge(old, -1, Integer::sum);
      counts.merge(s, 1, Integer::sum);
      status[row] = s;
    }
    return old;
  }

  /** Copies of the statuses (holes as LABELED: they take no part) and labels of rows {@code [0, n)}. */
  PoolStatus[] statuses(int n) {
    PoolStatus[] st = Arrays.copyOf(status, n);
    for (int r = 0; r < n; r++) {
      if (st[r] == null) st[r] = PoolStatus.LABELED;
    }
    return st;
  }

  int[] labels(int n) {
    return Arrays.copyOf(labels, n);
  }

  private void ensureCapacity(int n) {
    if (status.length >= n) {
      return;
    }
    int cap = Math.max(n, Math.max(16, status.length + (status.length >> 1)));
    status = Arrays.copyOf(status, cap);
    labels = Arrays.copyOf(labels, cap);
  }
}
