package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatIndexTest {
  private static final int DIM = 24;

  private static float[] rows(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * DIM];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    return Vectors.normalizedRows(x, DIM);
  }

  /** Brute force in double: the k best of {@code base} rows for query q, skipping {@code self}; ties to the smaller row. */
  private static int[] brute(float[] queries, int q, float[] base, int self, int k) {
    TopCandidates t = new TopCandidates(k);
    for (int j = 0; j < base.length / DIM; j++) {
      if (j != self) t.offer(j, DotProducts.dot(queries, q * DIM, base, j * DIM, DIM));
    }
    return t.sorted(new double[k]);
  }

  @Test
  void searchAllMatchesBruteForceAcrossBlocksWithoutSelf() {
    int n = 9000; // more than two blocks, so off-diagonal pairs serve both directions
    float[] x = rows(n, 1);
    NeighborTable t;
    try (FlatIndex index = FlatIndex.of(Compute.cpu(), x, DIM)) {
      t = index.searchAll(10);
    }
    for (int q = 0; q < n; q += 97) {
      assertArrayEquals(brute(x, q, x, q, 10), t.neighbors(q), "row " + q);
      assertEquals(DotProducts.dot(x, q * DIM, x, t.neighbors(q)[0] * DIM, DIM), t.similarities(q)[0], 1e-6);
    }
    for (int q = 0; q < n; q++) {
      for (int id : t.neighbors(q)) assertTrue(id != q, "row " + q + " is its own neighbour");
    }
  }

  @Test
  void duplicateRowsTieToTheSmallerRow() {
    float[] x = new float[6 * DIM];
    float[] v = rows(1, 2);
    for (int r = 0; r < 5; r++) System.arraycopy(v, 0, x, r * DIM, DIM);
    System.arraycopy(rows(1, 3), 0, x, 5 * DIM, DIM);
    try (FlatIndex index = FlatIndex.of(Compute.cpu(), x, DIM)) {
      NeighborTable t = index.searchAll(3);
      assertArrayEquals(new int[] {0, 1, 3}, t.neighbors(2));
      assertArrayEquals(new int[] {1, 2, 3}, t.neighbors(0));
    }
  }

  @Test
  void newRowsAgainstAllAndAllAgainstNewRows() {
    float[] x = rows(5000, 4);
    float[] added = rows(300, 5);
    int[] ids = new int[300];
    for (int i = 0; i < 300; i++) ids[i] = 5000 + i;
    ids[7] = 42; // a new vector that claims an indexed row's id is never that row's neighbour
    try (FlatIndex index = FlatIndex.of(Compute.cpu(), x, DIM)) {
      int[] self = new int[300];
      java.util.Arrays.fill(self, -1);
      self[0] = 17;
      NeighborTable q = index.search(added, self, 5);
      for (int i = 0; i < 300; i += 13) assertArrayEquals(brute(added, i, x, self[i], 5), q.neighbors(i), "query " + i);
      NeighborTable back = index.searchAgainst(added, ids, 4);
      for (int row = 0; row < 5000; row += 101) {
        final int r = row;
        int[] local = brute(x, r, added, -1, 5);
        int[] expected = java.util.Arrays.stream(local).map(j -> ids[j]).filter(id -> id != r).limit(4).toArray();
        assertArrayEquals(expected, back.neighbors(r), "row " + r);
      }
      for (int id : back.neighbors(42)) assertTrue(id != 42);
      assertThrows(IllegalArgumentException.class, () -> index.searchAgainst(added, new int[3], 4));
    }
  }

  @Test
  void halfPrecisionProposalsGiveTheExactLists() {
    float[] x = rows(3000, 6);
    try (FlatIndex full = FlatIndex.of(Compute.cpu(), x, DIM);
        FlatIndex half = FlatIndex.of(Compute.exactly(Device.cpu(), DataType.FLOAT16), x, DIM)) {
      NeighborTable a = full.searchAll(10), b = half.searchAll(10);
      int same = 0;
      for (int q = 0; q < 3000; q++) if (java.util.Arrays.equals(a.neighbors(q), b.neighbors(q))) same++;
      assertTrue(same >= 2990, same + " of 3000 lists agree");
    }
  }

  @Test
  void tinyPools() {
    try (FlatIndex one = FlatIndex.of(Compute.cpu(), rows(1, 7), DIM)) {
      assertEquals(0, one.searchAll(5).neighbors(0).length);
    }
    try (FlatIndex three = FlatIndex.of(Compute.cpu(), rows(3, 8), DIM)) {
      assertEquals(2, three.searchAll(5).neighbors(1).length);
    }
  }
}
