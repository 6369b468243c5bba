package io.alvlm.stream;

import io.alvlm.selection.IncrementalNeighbors;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.ClassProbabilities;
import io.alvlm.selection.ZeroShotProbabilities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pool task's in-memory dense view of the pool store: one row per image with its L2-normalised
 * features, status and label, plus the k-nearest-neighbour lists of the unlabelled pool, kept up to
 * date as images arrive and leave, and each row's zero-shot class probabilities under the current model
 * (scored on arrival; the whole pool re-scored once per new model), so a query round only gathers them.
 * Rebuilt from the store on start.
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
  /** Zero-shot probabilities of every row under {@link #scoredWith}, row-major [capacity, classes]. */
  private float[] probabilities = new float[0];
  private ModelView scoredWith;

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
    if (scoredWith != null) {
      double[] p = ZeroShotProbabilities.ofRow(v, scoredWith.textFeatures(), scoredWith.classes(), scoredWith.logitScale());
      for (int c = 0; c < p.length; c++) probabilities[row * p.length + c] = (float) p[c];
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

  /** The model the maintained probabilities belong to, or null before the first. */
  ModelView scoredWith() {
    return scoredWith;
  }

  /** Re-scores the whole pool under {@code model}: one N × C product. A no-op for the model already scored with. */
  public void rescore(ModelView model) {
    if (scoredWith != null && scoredWith.version() == model.version()) {
      return;
    }
    int n = ids.size();
    if (model.dim() != dim) {
      throw new IllegalArgumentException("model v" + model.version() + " has text features of width " + model.dim()
          + ", the pool holds image features of width " + dim);
    }
    double[] p = ZeroShotProbabilities.of(Arrays.copyOf(features, n * dim), n, dim, model.textFeatures(), model.classes(),
        model.logitScale());
    probabilities = new float[Math.max(status.length, n) * model.classes()];
    for (int i = 0; i < p.length; i++) probabilities[i] = (float) p[i];
    scoredWith = model;
  }

  /**
   * A strategy's view of the current pool under {@code model}, with the maintained neighbour lists and
   * class probabilities attached (the pool is re-scored first if {@code model} is new).
   */
  public PoolView view(ModelView model) {
    rescore(model);
    int n = ids.size();
    int classes = model.classes();
    float[] probs = probabilities;
    ClassProbabilities maintained = (row, out, off) -> {
      for (int c = 0; c < classes; c++) out[off + c] = probs[row * classes + c];
    };
    return new PoolView(Arrays.copyOf(features, n * dim), n, dim, model.textFeatures(), classes, model.logitScale(),
        Arrays.copyOf(status, n), Arrays.copyOf(labels, n), Optional.of(neighbors), Optional.of(maintained));
  }

  /** The same pool with nothing maintained: what a query computes from scratch. */
  public PoolView viewFromScratch(ModelView model) {
    PoolView v = view(model);
    return new PoolView(v.features(), v.rows(), v.dim(), v.classText(), v.classes(), v.logitScale(), v.status(), v.labels(),
        Optional.empty(), Optional.empty());
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
    if (scoredWith != null) {
      probabilities = Arrays.copyOf(probabilities, cap * scoredWith.classes());
    }
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
