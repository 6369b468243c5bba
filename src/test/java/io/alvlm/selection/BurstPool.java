package io.alvlm.selection;

import java.util.Arrays;
import java.util.Random;

/**
 * A fixed pool with bursts of near-copies, as the measurement had: {@code base} rows around
 * {@code classes} class directions in {@code dim} dimensions, then {@code bursts} bursts of {@code copies}
 * rows each, every copy a base row plus noise small enough that copies sit at cosine about 0.995 to it.
 * Bursts copy the rows closest to the class boundaries, so uncertainty strategies like them.
 */
final class BurstPool {
  static final int DIM = 16;
  static final int CLASSES = 4;

  final float[] features;
  final float[] text;
  final int rows;
  /** For each row, the base row it copies, or -1 for a base row. */
  final int[] source;

  BurstPool(int base, int bursts, int copies, long seed) {
    Random r = new Random(seed);
    rows = base + bursts * copies;
    text = new float[CLASSES * DIM];
    for (int c = 0; c < CLASSES; c++) text[c * DIM + c] = 1;
    features = new float[rows * DIM];
    source = new int[rows];
    Arrays.fill(source, -1);
    for (int i = 0; i < base; i++) {
      int c = i % CLASSES;
      features[i * DIM + c] = 1;
      // every fourth base row sits between two classes: the uncertain ones
      if (i % 4 == 0) features[i * DIM + (c + 1) % CLASSES] = 0.95f;
      for (int d = 0; d < DIM; d++) features[i * DIM + d] += (float) (0.25 * r.nextGaussian());
    }
    int at = base;
    for (int b = 0; b < bursts; b++) {
      int src = 4 * b;
      double norm = Math.sqrt(dot(src, src));
      for (int m = 0; m < copies; m++, at++) {
        source[at] = src;
        for (int d = 0; d < DIM; d++) {
          features[at * DIM + d] = features[src * DIM + d] + (float) (0.02 * norm * r.nextGaussian());
        }
      }
    }
  }

  private double dot(int a, int b) {
    double s = 0;
    for (int d = 0; d < DIM; d++) s += (double) features[a * DIM + d] * features[b * DIM + d];
    return s;
  }

  /** The pool with the given rows labelled (their class: the copied row's index modulo the classes) and pending. */
  PoolView view(int[] labelled, int[] pending) {
    PoolStatus[] status = new PoolStatus[rows];
    int[] labels = new int[rows];
    Arrays.fill(status, PoolStatus.UNLABELED);
    Arrays.fill(labels, -1);
    for (int r : labelled) {
      status[r] = PoolStatus.LABELED;
      labels[r] = (source[r] < 0 ? r : source[r]) % CLASSES;
    }
    for (int r : pending) status[r] = PoolStatus.PENDING;
    return PoolView.of(features, DIM, text, 100f, status, labels);
  }

  /** The same view with exact neighbour lists of {@code k} attached, as the service maintains them. */
  static PoolView withLists(PoolView v, int k) {
    return v.withNeighbors(ExactNeighbors.compute(v.features().toArray(), v.dim(),
        java.util.stream.IntStream.range(0, v.rows()).filter(v::unlabelledPool).toArray(), k));
  }
}
