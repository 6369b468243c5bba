package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
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
    float[][] scratch = new float[1][];
    FloatBuffer b = s.block(2, 6, scratch);
    float[] got = new float[4 * DIM];
    b.get(got);
    assertArrayEquals(java.util.Arrays.copyOfRange(gathered, 2 * DIM, 6 * DIM), got);
    double[] norms = s.squaredNorms();
    for (int i = 0; i < rows.length; i++) {
      assertEquals(DotProducts.dot(gathered, i * DIM, gathered, i * DIM, DIM), norms[i], 0);
    }
  }

  @Test
  void consecutiveRowsOfOneChunkAreReadInPlace() {
    float[] x = new float[10 * DIM];
    for (int i = 0; i < x.length; i++) x[i] = i;
    FloatBuffer b = RowSubset.of(x, DIM).block(2, 7, new float[1][]);
    assertSame(x, b.array(), "no copy for a run of one array");
    assertEquals(2 * DIM, b.arrayOffset());
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
    }
  }
}
