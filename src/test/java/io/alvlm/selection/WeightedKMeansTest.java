package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedKMeansTest {
  private static final int DIM = 16;

  /** {@code groups} tight blobs of {@code per} rows around far-apart centres, row i in blob i / per. */
  private static float[] blobs(int groups, int per, double spread, long seed) {
    Random r = new Random(seed);
    float[] x = new float[groups * per * DIM];
    for (int g = 0; g < groups; g++) {
      for (int k = 0; k < per; k++) {
        int o = (g * per + k) * DIM;
        x[o + g % DIM] = 10f * (1 + g / DIM);
        for (int d = 0; d < DIM; d++) x[o + d] += (float) (spread * r.nextGaussian());
      }
    }
    return x;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return w;
  }

  private static WeightedKMeans.Settings settings() {
    return new WeightedKMeans.Settings(3, 100, 0, 256, new Compute.Settings(Compute.Target.CPU, false));
  }

  @Test
  void recoversWellSeparatedWeightedClusters() {
    int groups = 6, per = 40;
    float[] x = blobs(groups, per, 0.3, 1);
    double[] w = new double[groups * per];
    Random r = new Random(2);
    for (int i = 0; i < w.length; i++) w[i] = 0.1 + r.nextDouble();
    WeightedKMeans.Result res = WeightedKMeans.fit(x, DIM, w, groups, settings(), 7);
    int[] a = res.assignment();
    for (int g = 0; g < groups; g++) {
      for (int k = 1; k < per; k++) assertEquals(a[g * per], a[g * per + k], "blob " + g + " split");
      for (int h = 0; h < g; h++) assertTrue(a[g * per] != a[h * per], "blobs " + g + " and " + h + " merged");
    }
    assertEquals(WeightedKMeans.inertia(x, DIM, w, res.centers(), a), res.inertia(), 1e-9 * res.inertia());
  }

  @Test
  void weightsPullTheCentre() {
    // one cluster over two points: the centre is their weighted mean
    float[] x = {0f, 0f, 4f, 0f};
    WeightedKMeans.Result res = WeightedKMeans.fit(x, 2, new double[] {3, 1}, 1, settings(), 0);
    assertEquals(1.0, res.centers()[0], 1e-6);
    assertEquals(0.0, res.centers()[1], 1e-6);
    assertEquals(3 * 1 + 1 * 9, res.inertia(), 1e-9);
  }

  @Test
  void weightlessRowsNeverSeedWhileOthersRemain() {
    float[] x = blobs(3, 10, 0.1, 3);
    double[] w = ones(30);
    for (int i = 10; i < 20; i++) w[i] = 0; // blob 1 weighs nothing: it cannot get a centre of its own
    WeightedKMeans.Result res = WeightedKMeans.fit(x, DIM, w, 2, settings(), 4);
    int[] a = res.assignment();
    assertTrue(a[0] != a[20], "the two weighted blobs get a centre each");
  }

  @Test
  void emptyClusterIsReseeded() {
    // four identical rows and one far row, three clusters: seeding must fall back to unchosen rows,
    // and after a Lloyd step two centres coincide, leaving one cluster empty to re-seed
    float[] x = {0, 0, 0, 0, 0, 0, 0, 0, 5, 5};
    WeightedKMeans.Result res = WeightedKMeans.fit(x, 2, ones(5), 3, settings(), 1);
    assertEquals(0.0, res.inertia(), 1e-12);
    assertTrue(Arrays.stream(res.assignment()).distinct().count() >= 2);
  }

  @Test
  void sameSeedSameResultAndLabelsAreTheNearestCentres() {
    float[] x = blobs(8, 30, 1.5, 5);
    double[] w = new double[240];
    Random r = new Random(6);
    for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
    WeightedKMeans.Result a = WeightedKMeans.fit(x, DIM, w, 12, settings(), 11);
    WeightedKMeans.Result b = WeightedKMeans.fit(x, DIM, w, 12, settings(), 11);
    assertArrayEquals(a.assignment(), b.assignment());
    assertArrayEquals(a.centers(), b.centers());
    int[] brute = new int[240];
    for (int i = 0; i < 240; i++) {
      for (int j = 1; j < 12; j++) if (dist(x, i, a.centers(), j, DIM) < dist(x, i, a.centers(), brute[i], DIM)) brute[i] = j;
    }
    assertArrayEquals(brute, WeightedKMeans.assign(Compute.cpu(), x, DIM, a.centers(), 12));
    assertArrayEquals(brute, a.assignment());
  }

  @Test
  void initsAreIndependentAndTheBestIsKept() {
    // overlapping blobs: different seedings end in different local optima
    float[] x = blobs(20, 20, 3.0, 21);
    double[] w = new double[400];
    Random r = new Random(22);
    for (int i = 0; i < w.length; i++) w[i] = 0.2 + r.nextDouble();
    java.util.Set<Double> singles = new java.util.TreeSet<>();
    for (long seed = 0; seed < 6; seed++) {
      singles.add(WeightedKMeans.fit(x, DIM, w, 15, new WeightedKMeans.Settings(1, 100, 1e-4, 256, cpu()), seed).inertia());
    }
    assertTrue(singles.size() > 1, "seeds give different optima: " + singles);
    double one = WeightedKMeans.fit(x, DIM, w, 15, new WeightedKMeans.Settings(1, 100, 1e-4, 256, cpu()), 3).inertia();
    double ten = WeightedKMeans.fit(x, DIM, w, 15, new WeightedKMeans.Settings(10, 100, 1e-4, 256, cpu()), 3).inertia();
    assertTrue(ten < one, "ten inits (" + ten + ") beat one (" + one + ")");
  }

  @Test
  void trainsOnASampleThenAssignsEveryRow() {
    float[] x = blobs(5, 200, 0.3, 31);
    double[] w = ones(1000);
    WeightedKMeans.Result res = WeightedKMeans.fit(x, DIM, w, 5, new WeightedKMeans.Settings(2, 50, 1e-4, 20, cpu()), 1);
    assertEquals(100, res.stats().trainedRows(), "20 rows per centre");
    int[] a = res.assignment();
    for (int g = 0; g < 5; g++) {
      for (int k = 1; k < 200; k++) assertEquals(a[g * 200], a[g * 200 + k], "blob " + g + " split");
    }
    assertEquals(WeightedKMeans.inertia(x, DIM, w, res.centers(), a), res.inertia(), 1e-9 * res.inertia());
  }

  @Test
  void greedySeedingTriesTwoPlusLogKCandidates() {
    assertEquals(2, GreedySeeding.trials(1));
    assertEquals(8, GreedySeeding.trials(1000));
  }

  @Test
  void halfPrecisionProductsGiveTheSameClusteringQuality() {
    Random r = new Random(9);
    int n = 2000, k = 40, dim = 32;
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    x = Vectors.normalizedRows(x, dim);
    float[] c = Arrays.copyOf(x, k * dim);
    int[] full = WeightedKMeans.assign(Compute.cpu(), x, dim, c, k);
    int[] half = WeightedKMeans.assign(Compute.exactly(ai.djl.Device.cpu(), ai.djl.ndarray.types.DataType.FLOAT16), x, dim, c, k);
    int differ = 0;
    for (int i = 0; i < n; i++) {
      if (full[i] != half[i]) {
        differ++;
        double df = dist(x, i, c, full[i], dim), dh = dist(x, i, c, half[i], dim);
        assertEquals(df, dh, 1e-2 * df, "fp16 may only swap near-ties, row " + i);
      }
    }
    assertTrue(differ <= n / 20, differ + " rows differ");
  }

  private static Compute.Settings cpu() {
    return new Compute.Settings(Compute.Target.CPU, false);
  }

  private static double dist(float[] x, int i, float[] c, int j, int dim) {
    double s = 0;
    for (int d = 0; d < dim; d++) {
      double v = x[i * dim + d] - c[j * dim + d];
      s += v * v;
    }
    return s;
  }
}
