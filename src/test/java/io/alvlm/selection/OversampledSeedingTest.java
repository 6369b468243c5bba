package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * k-means‖ seeding against plain weighted k-means (greedy k-means++ with {@code 2 + ⌊ln k⌋} local
 * trials on every row, then Lloyd until the labels settle: scikit-learn's {@code KMeans(n_init=1)}),
 * written out here in double loops on the same fixed synthetic set.
 */
class OversampledSeedingTest {
  private static final int DIM = 16;
  private static final int ROWS = 6000;
  private static final int CLUSTERS = 40;

  /** Overlapping Gaussian blobs of uneven size and spread: seeding quality shows in the inertia. */
  private static float[] pool(long seed) {
    Random r = new Random(seed);
    int blobs = 120;
    float[][] mu = new float[blobs][DIM];
    double[] spread = new double[blobs];
    for (int b = 0; b < blobs; b++) {
      for (int d = 0; d < DIM; d++) mu[b][d] = (float) (4 * r.nextGaussian());
      spread[b] = 0.3 + r.nextDouble();
    }
    float[] x = new float[ROWS * DIM];
    for (int i = 0; i < ROWS; i++) {
      int b = (int) (blobs * Math.pow(r.nextDouble(), 2)); // some blobs far more crowded than others
      for (int d = 0; d < DIM; d++) x[i * DIM + d] = (float) (mu[b][d] + spread[b] * r.nextGaussian());
    }
    return x;
  }

  private static double[] weights(long seed) {
    Random r = new Random(seed);
    double[] w = new double[ROWS];
    for (int i = 0; i < ROWS; i++) w[i] = 0.05 + r.nextDouble();
    return w;
  }

  @Test
  void inertiaWithinOnePercentOfPlainKMeans() {
    float[] x = pool(1);
    double[] w = weights(2);
    assertTrue(OversampledSeeding.pays(ROWS, CLUSTERS), "the set is large enough for k-means‖");
    WeightedKMeans.Settings one = new WeightedKMeans.Settings(1, 300, 1e-4, 0, new Compute.Settings(Compute.Target.CPU, false));
    double ours = 0, plain = 0;
    for (long seed = 0; seed < 3; seed++) {
      ours += WeightedKMeans.fit(x, DIM, w, CLUSTERS, one, seed).inertia();
      plain += plainKMeans(x, w, new SplittableRandom(100 + seed));
    }
    assertTrue(ours <= 1.01 * plain, "k-means‖ then Lloyd: " + ours / 3 + ", plain k-means++ then Lloyd: " + plain / 3);
  }

  @Test
  void centresAreDistinctRowsAndFewRowsFallBackToGreedy() {
    float[] x = pool(3);
    double[] w = weights(4);
    try (DeviceMatrix d = DeviceMatrix.upload(Compute.cpu(), x, DIM)) {
      float[] c = new OversampledSeeding(d, RowSubset.of(x, DIM), w, RowSubset.of(x, DIM).squaredNorms())
          .run(CLUSTERS, new SplittableRandom(5));
      java.util.Set<String> seen = new java.util.HashSet<>();
      java.util.Set<String> rows = new java.util.HashSet<>();
      for (int i = 0; i < ROWS; i++) rows.add(Arrays.toString(Arrays.copyOfRange(x, i * DIM, (i + 1) * DIM)));
      for (int j = 0; j < CLUSTERS; j++) {
        String s = Arrays.toString(Arrays.copyOfRange(c, j * DIM, (j + 1) * DIM));
        assertTrue(rows.contains(s), "centre " + j + " is a row");
        assertTrue(seen.add(s), "centre " + j + " is new");
      }
    }
    // five distinct rows, each repeated: k-means‖ finds only five candidates and every one is a centre
    float[] few = new float[400 * 2];
    for (int i = 0; i < 400; i++) few[2 * i] = i % 5;
    double[] ones = new double[400];
    Arrays.fill(ones, 1);
    WeightedKMeans.Result res = WeightedKMeans.fit(few, 2, ones, 5, new WeightedKMeans.Settings(1, 10, 0), 9);
    assertEquals(0.0, res.inertia(), 1e-9);
  }

  /** scikit-learn's k-means++ (local trials) and Lloyd, weighted, in double; returns the weighted inertia. */
  private static double plainKMeans(float[] x, double[] w, SplittableRandom rnd) {
    int trials = 2 + (int) Math.log(CLUSTERS);
    double[][] c = new double[CLUSTERS][];
    double[] d = new double[ROWS];
    Arrays.fill(d, Double.POSITIVE_INFINITY);
    c[0] = row(x, drawn(w, d, rnd, true));
    lower(x, c[0], d);
    for (int k = 1; k < CLUSTERS; k++) {
      double best = Double.POSITIVE_INFINITY;
      double[] pick = null;
      for (int t = 0; t < trials; t++) {
        double[] cand = row(x, drawn(w, d, rnd, false));
        double pot = 0;
        for (int i = 0; i < ROWS; i++) pot += w[i] * Math.min(d[i], sq(x, i, cand));
        if (pot < best) {
          best = pot;
          pick = cand;
        }
      }
      c[k] = pick;
      lower(x, pick, d);
    }
    int[] label = new int[ROWS];
    for (int step = 0; step < 300; step++) {
      boolean moved = false;
      for (int i = 0; i < ROWS; i++) {
        int b = 0;
        for (int k = 1; k < CLUSTERS; k++) if (sq(x, i, c[k]) < sq(x, i, c[b])) b = k;
        moved |= b != label[i];
        label[i] = b;
      }
      if (!moved && step > 0) break;
      double[][] sum = new double[CLUSTERS][DIM];
      double[] mass = new double[CLUSTERS];
      for (int i = 0; i < ROWS; i++) {
        mass[label[i]] += w[i];
        for (int e = 0; e < DIM; e++) sum[label[i]][e] += w[i] * x[i * DIM + e];
      }
      for (int k = 0; k < CLUSTERS; k++) {
        if (mass[k] > 0) for (int e = 0; e < DIM; e++) c[k][e] = sum[k][e] / mass[k];
      }
    }
    double inertia = 0;
    for (int i = 0; i < ROWS; i++) inertia += w[i] * sq(x, i, c[label[i]]);
    return inertia;
  }

  private static int drawn(double[] w, double[] d, SplittableRandom rnd, boolean byWeight) {
    double total = 0;
    for (int i = 0; i < ROWS; i++) total += byWeight ? w[i] : w[i] * d[i];
    double u = rnd.nextDouble() * total;
    for (int i = 0; i < ROWS; i++) {
      u -= byWeight ? w[i] : w[i] * d[i];
      if (u < 0) return i;
    }
    return ROWS - 1;
  }

  private static void lower(float[] x, double[] c, double[] d) {
    for (int i = 0; i < ROWS; i++) d[i] = Math.min(d[i], sq(x, i, c));
  }

  private static double[] row(float[] x, int i) {
    double[] r = new double[DIM];
    for (int e = 0; e < DIM; e++) r[e] = x[i * DIM + e];
    return r;
  }

  private static double sq(float[] x, int i, double[] c) {
    double s = 0;
    for (int e = 0; e < DIM; e++) {
      double v = x[i * DIM + e] - c[e];
      s += v * v;
    }
    return s;
  }
}
