package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureRowsTest {
  private static final int DIM = 3;

  private static float[] flat(int rows, long seed) {
    Random r = new Random(seed);
    float[] f = new float[rows * DIM];
    for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
    return f;
  }

  @Test
  void aGrowingPoolHoldsEveryRowWhereItWasWrittenAcrossChunks() {
    float[] want = flat(21, 1);
    FeatureRows rows = FeatureRows.growing(DIM, 4);
    for (int r = 0; r < 21; r++) rows.set(r, want, r * DIM);
    assertEquals(21, rows.rows());
    assertEquals(4, rows.chunkRows());
    assertArrayEquals(want, rows.toArray());
    assertArrayEquals(Arrays.copyOfRange(want, 9 * DIM, 10 * DIM), rows.row(9));
    assertArrayEquals(new float[] {want[15], want[16], want[17], want[3], want[4], want[5]}, rows.gather(new int[] {5, 1}));
    assertEquals(DotProducts.dot(want, 2 * DIM, want, 17 * DIM, DIM), rows.dot(2, 17), 0);
    // chunks are allocated whole, never grown by copying
    assertEquals(6L * 4 * DIM * 4, rows.bytes());
  }

  @Test
  void blocksAreContiguousRunsThatNeverCrossAChunk() {
    float[] want = flat(10, 2);
    FeatureRows rows = FeatureRows.growing(DIM, 4);
    for (int r = 0; r < 10; r++) rows.set(r, want, r * DIM);
    List<int[]> runs = new ArrayList<>();
    rows.forEachBlock(1, 10, 2, (values, at, first, count) -> {
      for (int i = 0; i < count; i++) {
        assertArrayEquals(Arrays.copyOfRange(want, (first + i) * DIM, (first + i + 1) * DIM),
            Arrays.copyOfRange(values, (at + i) * DIM, (at + i + 1) * DIM));
      }
      runs.add(new int[] {first, count});
    });
    assertEquals(List.of("1+2", "3+1", "4+2", "6+2", "8+2"), runs.stream().map(r -> r[0] + "+" + r[1]).toList());
  }

  @Test
  void aSnapshotSharesTheChunksAndIgnoresLaterRows() {
    float[] want = flat(12, 3);
    FeatureRows rows = FeatureRows.growing(DIM, 4);
    for (int r = 0; r < 6; r++) rows.set(r, want, r * DIM);
    FeatureRows view = rows.view(6);
    for (int r = 6; r < 12; r++) rows.set(r, want, r * DIM);
    assertEquals(6, view.rows());
    assertArrayEquals(Arrays.copyOf(want, 6 * DIM), view.toArray());
    assertSame(rows.chunk(0), view.chunk(0));
  }

  @Test
  void aWrappedArrayIsReadInPlace() {
    float[] f = flat(5, 4);
    FeatureRows rows = FeatureRows.of(f, DIM);
    assertSame(f, rows.toArray());
    assertSame(f, rows.chunk(4));
    assertEquals(4 * DIM, rows.offset(4));
    int[] seen = new int[1];
    rows.forEachBlock(0, 5, 100, (values, at, first, count) -> {
      assertSame(f, values);
      seen[0] += count;
    });
    assertEquals(5, seen[0]);
    assertThrows(IllegalStateException.class, () -> rows.set(5, f, 0));
  }

  @Test
  void aGapOfRowsReadsAsZeros() {
    FeatureRows rows = FeatureRows.growing(DIM, 2);
    rows.set(7, new float[] {1, 2, 3}, 0);
    assertArrayEquals(new float[DIM], rows.row(0));
    assertArrayEquals(new float[] {1, 2, 3}, rows.row(7));
    assertTrue(rows.bytes() >= 4L * 2 * DIM * 4);
    assertThrows(IllegalArgumentException.class, () -> FeatureRows.growing(DIM, 3));
    assertThrows(IllegalArgumentException.class, () -> FeatureRows.of(new float[4], DIM));
  }
}
