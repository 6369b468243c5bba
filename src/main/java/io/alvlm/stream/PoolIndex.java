package io.alvlm.stream;

import io.alvlm.selection.IncrementalNeighbors;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool task's in-memory dense view of the pool store: one row per image with its L2-normalised
 * features, status and label, plus the k-nearest-neighbour lists of the unlabelled pool, kept up to
 * date as images arrive and leave so a query round only gathers them. Rebuilt from the store on start.
 * Not thread-safe: owned by the pool task's thread.
 */
public final class PoolIndex {
  private final int dim;
  private final IncrementalNeighbors neighbors;
  private final Map<String, Integer> rows = new HashMap<>();
  private final List<String> ids = new ArrayList<>();
  private float[] features = new float[0];
  private PoolStatus[] status = new PoolStatus[0];
  private int[] labels = new int[0];
  private final EnumMap<PoolStatus, Integer> counts = new EnumMap<>(PoolStatus.class);

  public PoolIndex(int dim, int k) {
    this.dim = dim;
    this.neighbors = new IncrementalNeighbors(dim, k, 1024);
    for (PoolStatus s : PoolStatus.values()) counts.put(s, 0);
  }

  public int dim() {
    return dim;
  }

  public int size() {
    return ids.size();
  }

  public Integer row(String id) {
    return rows.get(id);
  }

  public String id(int row) {
    return ids.get(row);
  }

  public PoolStatus status(int row) {
    return status[row];
  }

  public int count(PoolStatus s) {
    return counts.get(s);
  }

  /**
   * Adds an image; returns its row. Its features are normalised here; an image arriving already
   * LABELED (on rebuild) stays out of the neighbour lists.
   */
  public int add(String id, float[] vector, PoolStatus s, int label) {
    if (vector.length != dim) {
      throw new IllegalArgumentException("image " + id + ": vector has " + vector.length + " values, the pool holds " + dim);
    }
    if (rows.containsKey(id)) {
      throw new IllegalArgumentException("image " + id + " is already in the pool");
    }
    int row = ids.size();
    ensureCapacity(row + 1);
    float[] v = normalised(vector);
    System.arraycopy(v, 0, features, row * dim, dim);
    ids.add(id);
    rows.put(id, row);
    status[row] = s;
    labels[row] = label;
    counts.merge(s, 1, Integer::sum);
    if (s != PoolStatus.LABELED) {
      neighbors.add(row, v);
    }
    return row;
  }

  /** Moves a row to a new status; leaving the unlabelled pool drops it from every neighbour list. */
  public void setStatus(int row, PoolStatus s, int label) {
    PoolStatus old = status[row];
    labels[row] = label;
    if (old == s) {
      return;
    }
    counts.merge(old, -1, Integer::sum);
    counts.merge(s, 1, Integer::sum);
    status[row] = s;
    if (s == PoolStatus.LABELED) {
      neighbors.remove(row);
    } else if (old == PoolStatus.LABELED) {
      neighbors.add(row, Arrays.copyOfRange(features, row * dim, (row + 1) * dim));
    }
  }

  /** A strategy's view of the current pool with the maintained neighbour lists attached. */
  public PoolView view(float[] classText, int classes, float logitScale) {
    int n = ids.size();
    return new PoolView(Arrays.copyOf(features, n * dim), n, dim, classText, classes, logitScale,
        Arrays.copyOf(status, n), Arrays.copyOf(labels, n), java.util.Optional.of(neighbors));
  }

  /** The same pool without maintained neighbours: what a query computes from scratch. */
  public PoolView viewFromScratch(float[] classText, int classes, float logitScale) {
    PoolView v = view(classText, classes, logitScale);
    return new PoolView(v.features(), v.rows(), v.dim(), v.classText(), v.classes(), v.logitScale(), v.status(), v.labels(),
        java.util.Optional.empty());
  }

  /** Row {@code row}'s normalised features (a copy). */
  public float[] features(int row) {
    return Arrays.copyOfRange(features, row * dim, (row + 1) * dim);
  }

  private void ensureCapacity(int n) {
    if (status.length >= n) {
      return;
    }
    int cap = Math.max(n, Math.max(16, status.length * 2));
    features = Arrays.copyOf(features, cap * dim);
    status = Arrays.copyOf(status, cap);
    labels = Arrays.copyOf(labels, cap);
  }

  private static float[] normalised(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    float[] out = v.clone();
    if (s > 0) {
      float inv = (float) (1.0 / Math.sqrt(s));
      for (int i = 0; i < out.length; i++) out[i] *= inv;
    }
    return out;
  }
}
