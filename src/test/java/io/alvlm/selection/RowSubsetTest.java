package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rows of a chunked pool read where they lie: the same values, on the host and on the device, as a gathered copy. */
class RowSubsetTest {
  private static final int DIM = 5;

  private static FeatureRows chunked(int rows, int chunkRows) {
    FeatureRows f = FeatureRows.growing(DIM, chunkRows);
    Random r = new Random(3);
    float[] v = new float[DIM];
    for (int i = 0; i < rows; i++) {
      for (int d = 0; d < DIM; d++) v[d] = (float) r.nextGaussian();
      f.set(i, v, 0);
    }
    return f;
  }

  @Test
  void scatteredRowsAcrossChunksReadAsTheirGatheredCopy() {
    FeatureRows f = chunked(100, 16);
    int[] rows = {97, 3, 40, 41, 15, 16, 0};
    RowSubset s = RowSubset.of(f, rows);
    float[] gathered = f.gather(rows);
    assertEquals(rows.length, s.rows());
    assertArrayEquals(gathered, s.gather(new int[] {0, 1, 2, 3, 4, 5, 6}));
    try (NDManager m = Compute.cpu().newScope()) {
      float[] got = s.stage(m, 2, 6, DirectStaging.ofThisThread()).toFloatArray();
      assertArrayEquals(java.util.Arrays.copyOfRange(gathered, 2 * DIM, 6 * DIM), got);
    }
    double[] norms = s.squaredNorms();
    for (int i = 0; i < rows.length; i++) {
      assertEquals(DotProducts.dot(gathered, i * DIM, gathered, i * DIM, DIM), norms[i], 0);
    }
  }

  @Test
  void aSubsetUploadsAsItsGatheredRows() {
    FeatureRows f = chunked(20_000, 4096); // more than one upload block, across chunks
    int[] rows = new Random(5).ints(0, 20_000).distinct().limit(9_000).toArray();
    Compute cpu = Compute.cpu();
    try (DeviceMatrix in = DeviceMatrix.upload(cpu, RowSubset.of(f, rows));
        DeviceMatrix copy = DeviceMatrix.upload(cpu, f.gather(rows), DIM);
        NDManager m = cpu.newScope()) {
      assertEquals(rows.length, in.rows);
      assertArrayEquals(DeviceMatrix.floats(copy.block(m, 0, rows.length)), DeviceMatrix.floats(in.block(m, 0, rows.length)));
      assertEquals(4L * rows.length * DIM, in.bytes());
    }
  }

  @Test
  void aStagedMatrixReadsItsBlocksFromTheHostAsAnUploadedOneHoldsThem() {
    for (FeatureRows f : new FeatureRows[] {chunked(20_000, 4096), chunked(20_000, 4096).toHalf()}) {
      int[] rows = new Random(7).ints(0, 20_000).distinct().limit(9_000).toArray();
      Compute cpu = Compute.cpu();
      try (DeviceMatrix staged = DeviceMatrix.staged(cpu, RowSubset.of(f, rows));
          DeviceMatrix uploaded = DeviceMatrix.upload(cpu, RowSubset.of(f, rows));
          NDManager m = cpu.newScope()) {
        assertEquals(0, staged.bytes(), "nothing held beside the pool");
        assertEquals(rows.length, staged.rows);
        for (int from = 0; from < rows.length; from += 4000) {
          int to = Math.min(rows.length, from + 4000);
          assertArrayEquals(DeviceMatrix.floats(uploaded.block(m, from, to)), DeviceMatrix.floats(staged.block(m, from, to)));
        }
        int[] ids = {8_999, 3, 4_500};
        assertArrayEquals(DeviceMatrix.floats(uploaded.gather(m, ids)), DeviceMatrix.floats(staged.gather(m, ids)));
      }
    }
  }

  @Test
  void fp16RowsUploadInFp16AndReadBackAsTheFp32RowsOfTheirValues() {
    FeatureRows half = chunked(20_000, 4096).toHalf();
    int[] rows = new Random(6).ints(0, 20_000).distinct().limit(9_000).toArray();
    Compute cpu = Compute.cpu();
    try (DeviceMatrix in = DeviceMatrix.upload(cpu, RowSubset.of(half, rows));
        DeviceMatrix copy = DeviceMatrix.upload(cpu, half.gather(rows), DIM);
        NDManager m = cpu.newScope()) {
      assertEquals(2L * rows.length * DIM, in.bytes(), "held in fp16: half the memory");
      assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, in.block(m, 0, 10).getDataType(), "blocks come in the device precision");
      assertArrayEquals(DeviceMatrix.floats(copy.block(m, 0, rows.length)), DeviceMatrix.floats(in.block(m, 0, rows.length)));
      assertArrayEquals(DeviceMatrix.floats(copy.gather(m, new int[] {5, 0, 8_999})), DeviceMatrix.floats(in.gather(m, new int[] {5, 0, 8_999})));
    }
  }
}
