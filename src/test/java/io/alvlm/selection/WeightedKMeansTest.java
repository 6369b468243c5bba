package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

  private static WeightedKMeans.Settings settings(MatrixProducts.Kind kind, boolean bounds) {
    return new WeightedKMeans.Settings(3, 100, 0, kind, bounds);
  }

  @Test
  void recoversWellSeparatedWeightedClusters() {
    int groups = 6, per = 40;
    float[] x = blobs(groups, per, 0.3, 1);
    double[] w = new double[groups * per];
    Random r = new Random(2);
    for (int i = 0; i < w.length; i++) w[i] = 0.1 + r.nextDouble();
    for (boolean bounds : new boolean[] {true, false}) {
      WeightedKMeans.Result res = WeightedKMeans.fit(x, DIM, w, groups, settings(MatrixProducts.Kind.JAVA, bounds), 7);
      int[] a = res.assignment();
      for (int g = 0; g < groups; g++) {
        for (int k = 1; k < per; k++) assertEquals(a[g * per], a[g * per + k], "blob " + g + " split, bounds=" + bounds);
        for (int h = 0; h < g; h++) assertTrue(a[g * per] != a[h * per], "blobs " + g + " and " + h + " merged");
      }
      assertEquals(WeightedKMeans.inertia(x, DIM, w, res.centers(), a), res.inertia(), 1e-9 * res.inertia());
    }
  }

  @Test
  void weightsPullTheCentre() {
    // one cluster over two points: the centre is their weighted mean
    float[] x = {0f, 0f, 4f, 0f};
    WeightedKMeans.Result res = WeightedKMeans.fit(x, 2, new double[] {3, 1}, 1, settings(MatrixProducts.Kind.JAVA, true), 0);
    assertEquals(1.0, res.centers()[0], 1e-6);
    assertEquals(0.0, res.centers()[1], 1e-6);
    assertEquals(3 * 1 + 1 * 9, res.inertia(), 1e-9);
  }

  @Test
  void weightlessRowsNeverSeedWhileOthersRemain() {
    float[] x = blobs(3, 10, 0.1, 3);
    double[] w = ones(30);
    for (int i = 10; i < 20; i++) w[i] = 0; // blob 1 weighs nothing: it cannot get a centre of its own
    WeightedKMeans.Result res = WeightedKMeans.fit(x, DIM, w, 2, settings(MatrixProducts.Kind.JAVA, true), 4);
    int[] a = res.assignment();
    assertTrue(a[0] != a[20], "the two weighted blobs get a centre each");
  }

  @Test
  void emptyClusterIsReseeded() {
    // four identical rows and one far row, three clusters: seeding must fall back to unchosen rows,
    // and after a Lloyd step two centres coincide, leaving one cluster empty to re-seed
    float[] x = {0, 0, 0, 0, 0, 0, 0, 0, 5, 5};
    WeightedKMeans.Result res = WeightedKMeans.fit(x, 2, ones(5), 3, settings(MatrixProducts.Kind.JAVA, true), 1);
    assertEquals(0.0, res.inertia(), 1e-12);
    assertTrue(Arrays.stream(res.assignment()).distinct().count() >= 2);
  }

  @Test
  void sameSeedSameResultAndBoundsDoNotChangeTheAnswer() {
    float[] x = blobs(8, 30, 1.5, 5);
    double[] w = new double[240];
    Random r = new Random(6);
    for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
    WeightedKMeans.Settings on = settings(MatrixProducts.Kind.JAVA, true);
    WeightedKMeans.Result a = WeightedKMeans.fit(x, DIM, w, 12, on, 11);
    WeightedKMeans.Result b = WeightedKMeans.fit(x, DIM, w, 12, on, 11);
    assertArrayEquals(a.assignment(), b.assignment());
    assertArrayEquals(a.centers(), b.centers());
    // Hamerly bounds skip work, not answers: Lloyd from the same centres gives the same labels
    float[] c0 = a.centers();
    assertArrayEquals(WeightedKMeans.assign(JavaProducts.INSTANCE, x, DIM, c0, 12), a.assignment());
  }

  @Test
  void djlAndJavaAgreeOnAssignmentsForTheSameCentres() {
    assumeTrue(DjlProducts.available(), "DJL engine not available");
    Random r = new Random(9);
    int n = 3000, k = 50, dim = 64;
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    float[] c = Arrays.copyOf(x, k * dim);
    int[] java = WeightedKMeans.assign(JavaProducts.INSTANCE, x, dim, c, k);
    int[] djl = WeightedKMeans.assign(DjlProducts.instance(), x, dim, c, k);
    int differ = 0;
    for (int i = 0; i < n; i++) {
      if (java[i] != djl[i]) {
        differ++;
        // only near-ties may differ
        double dj = dist(x, i, c, java[i], dim), dd = dist(x, i, c, djl[i], dim);
        assertEquals(dj, dd, 1e-3 * dj, "row " + i);
      }
    }
    assertTrue(differ <= n / 1000, differ + " rows differ");
    assertArrayEquals(djl, WeightedKMeans.assign(DjlProducts.instance(), x, dim, c, k), "DJL is deterministic");
  }

  @Test
  void djlAndJavaFitsReachTheSameInertia() {
    assumeTrue(DjlProducts.available(), "DJL engine not available");
    float[] x = blobs(10, 50, 2.0, 12);
    double[] w = ones(500);
    double java = WeightedKMeans.fit(x, DIM, w, 10, settings(MatrixProducts.Kind.JAVA, true), 3).inertia();
    WeightedKMeans.Result djl = WeightedKMeans.fit(x, DIM, w, 10, settings(MatrixProducts.Kind.DJL, true), 3);
    assertEquals(java, djl.inertia(), 1e-3 * java);
    assertTrue(djl.stats().products().startsWith("djl"));
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
