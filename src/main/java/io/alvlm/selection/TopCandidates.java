package io.alvlm.selection;

/**
 * A bounded set of the best-scoring (largest score) ids seen so far, as a min-heap on score with ties
 * broken towards the smaller id. Not thread-safe; one per query row.
 */
final class TopCandidates {
  private final int capacity;
  private final int[] ids;
  private final double[] scores;
  private int size;

  TopCandidates(int capacity) {
    this.capacity = capacity;
    this.ids = new int[capacity];
    this.scores = new double[capacity];
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** The score an offer must beat once full; -∞ while not full. */
  double threshold() {
    return size < capacity ? Double.NEGATIVE_INFINITY : scores[0];
  }

  /** True when (score, id) ranks below (otherScore, otherId): lower score, or equal score and larger id. */
  private static boolean worse(double s, int id, double os, int oid) {
    return s < os || (s == os && id > oid);
  }

  void offer(int id, double score) {
    if (capacity == 0) {
      return;
    }
    if (size < capacity) {
      int i = size++;
      ids[i] = id;
      scores[i] = score;
      while (i > 0) {
        int p = (i - 1) / 2;
        if (!worse(scores[i], ids[i], scores[p], ids[p])) {
          break;
        }
        swap(i, p);
        i = p;
      }
    } else if (worse(scores[0], ids[0], score, id)) {
      ids[0] = id;
      scores[0] = score;
      int i = 0;
      while (true) {
        int l = 2 * i + 1, r = l + 1, w = i;
        if (l < size && worse(scores[l], ids[l], scores[w], ids[w])) w = l;
        if (r < size && worse(scores[r], ids[r], scores[w], ids[w])) w = r;
        if (w == i) break;
        swap(i, w);
        i = w;
      }
    }
  }

  private void swap(int a, int b) {
    int t = ids[a];
    ids[a] = ids[b];
    ids[b] = t;
    double s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
  }

  /** Ids ordered best first (largest score, then smaller id); writes matching scores into {@code outScores}. */
  int[] sorted(double[] outScores) {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) order[i] = i;
    java.util.Arrays.sort(order, (x, y) -> worse(scores[x], ids[x], scores[y], ids[y]) ? 1
        : worse(scores[y], ids[y], scores[x], ids[x]) ? -1 : 0);
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = ids[order[i]];
      outScores[i] = scores[order[i]];
    }
    return out;
  }
}
