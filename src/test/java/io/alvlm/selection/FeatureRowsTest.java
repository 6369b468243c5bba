package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Half;
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

  private static float[] nearestHalves(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = Half.toFloat(Half.fromFloat(v[i]));
    return out;
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
  void anFp16PoolReadsEveryRowAsTheNearestHalvesOfWhatWasWritten() {
    float[] want = flat(10, 5);
    float[] rounded = nearestHalves(want);
    assertTrue(Arrays.mismatch(want, rounded) >= 0, "some values are not halves");
    FeatureRows rows = FeatureRows.growing(DIM, 4);
    for (int r = 0; r < 6; r++) rows.set(r, want, r * DIM);
    FeatureRows before = rows.view(6);
    FeatureRows half = rows.toHalf();
    for (int r = 6; r < 10; r++) half.set(r, want, r * DIM);
    assertTrue(half.half());
    assertSame(half, half.toHalf());
    assertEquals(10, half.rows());
    assertArrayEquals(rounded, half.toArray());
    assertArrayEquals(Arrays.copyOfRange(rounded, 7 * DIM, 8 * DIM), half.row(7));
    assertArrayEquals(new float[] {rounded[15], rounded[16], rounded[17], rounded[3], rounded[4], rounded[5]},
        half.gather(new int[] {5, 1}));
    assertEquals(DotProducts.dot(rounded, 2 * DIM, rounded, 9 * DIM, DIM), half.dot(2, 9), 1e-12);
    assertEquals(DotProducts.dot(rounded, 2 * DIM, want, 0, DIM), half.dot(2, want, 0), 1e-12);
    double[] sum = {1, 1, 1};
    half.addScaled(4, 2.0, sum, 0);
    for (int d = 0; d < DIM; d++) assertEquals(1 + 2.0 * rounded[4 * DIM + d], sum[d], 1e-12);
    double d2 = 0;
    for (int d = 0; d < DIM; d++) d2 += Math.pow(rounded[3 * DIM + d] - want[d], 2);
    assertEquals(d2, half.squaredDistance(3, want, 0), 1e-12);
    // blocks come converted, a reused buffer, never crossing a chunk
    List<String> runs = new ArrayList<>();
    half.forEachBlock(1, 10, 2, (values, at, first, count) -> {
      for (int i = 0; i < count; i++) {
        assertArrayEquals(Arrays.copyOfRange(rounded, (first + i) * DIM, (first + i + 1) * DIM),
            Arrays.copyOfRange(values, (at + i) * DIM, (at + i + 1) * DIM));
      }
      runs.add(first + "+" + count);
    });
    assertEquals(List.of("1+2", "3+1", "4+2", "6+2", "8+2"), runs);
    assertEquals(3L * 4 * DIM * 2, half.bytes(), "two bytes a value");
    assertThrows(IllegalStateException.class, () -> half.chunk(0));
    // what was handed out before keeps its fp32 rows
    assertArrayEquals(Arrays.copyOf(want, 6 * DIM), before.toArray());
  }

  @Test
  void aSwitchedPoolPlacesNewChunksInFp16AndConvertsTheOldOnesOneAtATime() {
    float[] want = flat(10, 7);
    float[] rounded = nearestHalves(want);
    FeatureRows rows = FeatureRows.growing(DIM, 4);
    for (int r = 0; r < 6; r++) rows.set(r, want, r * DIM);
    FeatureRows view = rows.view(6);
    FeatureRows h = rows.halfFromNowOn();
    assertTrue(h.converting());
    assertFalse(h.half());
    for (int r = 6; r < 10; r++) h.set(r, want, r * DIM); // rows 6, 7 go to fp32 chunk 1, rows 8, 9 to a new fp16 chunk
    float[] mixed = Arrays.copyOf(want, want.length);
    System.arraycopy(rounded, 8 * DIM, mixed, 8 * DIM, 2 * DIM);
    assertArrayEquals(mixed, h.toArray());
    assertTrue(h.sameFp32Chunk(4, 7));
    assertFalse(h.sameFp32Chunk(8, 9));
    assertEquals(DotProducts.dot(mixed, 1 * DIM, mixed, 9 * DIM, DIM), h.dot(1, 9), 1e-12);
    assertEquals(DotProducts.dot(mixed, 9 * DIM, mixed, 1 * DIM, DIM), h.dot(9, 1), 1e-12);
    List<String> seen = new ArrayList<>();
    h.forEachBlock(0, 10, 4, (values, at, first, count) -> {
      for (int i = 0; i < count; i++) {
        assertArrayEquals(Arrays.copyOfRange(mixed, (first + i) * DIM, (first + i + 1) * DIM),
            Arrays.copyOfRange(values, (at + i) * DIM, (at + i + 1) * DIM));
      }
      seen.add(first + "+" + count);
    });
    assertEquals(List.of("0+4", "4+4", "8+2"), seen);
    assertTrue(h.convertOneChunk());
    assertTrue(h.convertOneChunk());
    assertFalse(h.convertOneChunk(), "two fp32 chunks, two conversions");
    assertTrue(h.half());
    assertFalse(h.converting());
    assertArrayEquals(rounded, h.toArray());
    assertEquals(3L * 4 * DIM * 2, h.bytes());
    assertArrayEquals(Arrays.copyOf(want, 6 * DIM), view.toArray(), "a view taken before keeps its fp32 chunks");
    assertThrows(IllegalStateException.class, () -> FeatureRows.of(want, DIM).halfFromNowOn());
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
