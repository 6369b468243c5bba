package io.alvlm.selection;

import java.util.Arrays;
import java.util.Objects;

/**
 * k-nearest-neighbour lists maintained as images arrive and leave the unlabelled pool, so that a query
 * round only gathers them. {@link #add} scores the newcomer against every present row (blocked, in
 * parallel; {@code O(rows · dim)}) and inserts it into the lists of rows it is closer to than their
 * current k-th neighbour; {@link #remove} (a row became LABELED) recomputes the lists that held it.
 * Ranking is by double-precision cosine similarity, ties to the smaller row, exactly as
 * {@link ExactNeighbors} ranks, so both give the same lists for the same rows. Rows are any
 * non-negative ints; capacity grows as needed. Vectors must be L2-normalised. Not thread-safe.
 */
public final class IncrementalNeighbors implements NeighborLists {
  private static final int BLOCK = 4096;

  private final int dim;
  private final int k;
  private float[] vectors;
  private boolean[] present;
  private int[] lists;
  private double[] sims;
  private int[] counts;
  private int capacity;
  private int size;

  /** Empty lists of {@code k} neighbours for vectors of width {@code dim}. */
  public IncrementalNeighbors(int dim, int k, int initialCapacity) {
    if (dim <= 0 || k < 0 || initialCapacity < 0) {
      throw new IllegalArgumentException("need dim > 0, k >= 0, capacity >= 0; got " + dim + ", " + k + ", " + initialCapacity);
    }
    this.dim = dim;
    this.k = k;
    allocate(Math.max(16, initialCapacity));
  }

  /** Lists built by adding every row of {@code features} ({@code [rows, dim]}) whose {@code include} is true, in row order. */
  public static IncrementalNeighbors of(float[] features, int dim, boolean[] include, int k) {
    int rows = features.length / dim;
    IncrementalNeighbors n = new IncrementalNeighbors(dim, k, rows);
    for (int r = 0; r < rows; r++) {
      if (include[r]) {
        n.add(r, Arrays.copyOfRange(features, r * dim, (r + 1) * dim));
      }
    }
    return n;
  }

  private void allocate(int cap) {
    vectors = vectors == null ? new float[cap * dim] : Arrays.copyOf(vectors, cap * dim);
    present = present == null ? new boolean[cap] : Arrays.copyOf(present, cap);
    lists = lists == null ? new int[cap * k] : Arrays.copyOf(lists, cap * k);
    sims = sims == null ? new double[cap * k] : Arrays.copyOf(sims, cap * k);
    counts = counts == null ? new int[cap] : Arrays.copyOf(counts, cap);
    capacity = cap;
  }

  public int k() {
    return k;
  }

  /** Number of rows currently in the lists. */
  public int size() {
    return size;
  }

  public boolean contains(int row) {
    return row >= 0 && row < capacity && present[row];
  }

  /** Adds {@code row} with its L2-normalised vector; its list and the lists it enters are updated. */
  public void add(int row, float[] normalisedVector) {
    Objects.requireNonNull(normalisedVector, "normalisedVector");
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, got " + row);
    }
    if (normalisedVector.length != dim) {
      throw new IllegalArgumentException("row " + row + ": vector has " + normalisedVector.length + " values, lists expect dim=" + dim);
    }
    if (contains(row)) {
      throw new IllegalArgumentException("row " + row + " is already in the neighbour lists; remove it first");
    }
    if (row >= capacity) {
      allocate(Math.max(row + 1, capacity * 2));
    }
    System.arraycopy(normalisedVector, 0, vectors, row * dim, dim);
    double[] s = similaritiesTo(row);
    for (int j = 0; j < capacity; j++) {
      if (present[j]) {
        insert(j, row, s[j]);
      }
    }
    present[row] = true;
    size++;
    rebuildList(row, s);
  }

  /** Removes {@code row} (it left the unlabelled pool); lists that held it are recomputed. */
  public void remove(int row) {
    if (!contains(row)) {
      return;
    }
    present[row] = false;
    counts[row] = 0;
    size--;
    for (int j = 0; j < capacity; j++) {
      if (present[j] && holds(j, row)) {
        rebuildList(j, similaritiesTo(j));
      }
    }
  }

  private boolean holds(int j, int row) {
    for (int i = 0; i < counts[j]; i++) {
      if (lists[j * k + i] == row) return true;
    }
    return false;
  }

  /** Double-precision similarity of {@code row}'s vector to every present row (others undefined). */
  private double[] similaritiesTo(int row) {
    double[] s = new double[capacity];
    int off = row * dim;
    RowBlocks.forEach(capacity, BLOCK, (from, to) -> {
      for (int j = from; j < to; j++) {
        if (present[j]) {
          s[j] = DotProducts.dot(vectors, off, vectors, j * dim, dim);
        }
      }
    });
    return s;
  }

  private void rebuildList(int row, double[] s) {
    TopCandidates top = new TopCandidates(k);
    for (int j = 0; j < capacity; j++) {
      if (present[j] && j != row) {
        top.offer(j, s[j]);
      }
    }
    double[] sc = new double[k];
    int[] ids = top.sorted(sc);
    System.arraycopy(ids, 0, lists, row * k, ids.length);
    System.arraycopy(sc, 0, sims, row * k, ids.length);
    counts[row] = ids.length;
  }

  /** Puts {@code other} into {@code row}'s sorted list if it ranks within the top k. */
  private void insert(int row, int other, double s) {
    int base = row * k;
    int n = counts[row];
    int pos = n;
    while (pos > 0 && (sims[base + pos - 1] < s || (sims[base + pos - 1] == s && lists[base + pos - 1] > other))) {
      pos--;
    }
    if (pos >= k) {
      return;
    }
    int last = Math.min(n, k - 1);
    for (int i = last; i > pos; i--) {
      lists[base + i] = lists[base + i - 1];
      sims[base + i] = sims[base + i - 1];
    }
    lists[base + pos] = other;
    sims[base + pos] = s;
    counts[row] = Math.min(n + 1, k);
  }

  @Override
  public int[] neighbors(int row) {
    if (!contains(row)) return new int[0];
    return Arrays.copyOfRange(lists, row * k, row * k + counts[row]);
  }

  @Override
  public float[] similarities(int row) {
    if (!contains(row)) return new float[0];
    float[] out = new float[counts[row]];
    for (int i = 0; i < out.length; i++) out[i] = (float) sims[row * k + i];
    return out;
  }
}
