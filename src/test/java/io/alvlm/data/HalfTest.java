package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Half-precision conversions against PyTorch's own, on every one of the 65,536 bit patterns. */
class HalfTest {
  @Test
  void everyHalfConvertsToTheFloatPyTorchGivesAndBack() {
    ByteBuffer all = ByteBuffer.allocateDirect(2 * 65536).order(ByteOrder.nativeOrder());
    for (int h = 0; h < 65536; h++) all.putShort(2 * h, (short) h);
    float[] torch;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray halves = m.create(all, new Shape(65536), DataType.FLOAT16);
      torch = halves.toType(DataType.FLOAT32, false).toFloatArray();
    }
    int nans = 0;
    for (int h = 0; h < 65536; h++) {
      float got = Half.toFloat((short) h);
      if (Float.isNaN(torch[h])) {
        assertTrue(Float.isNaN(got), "half " + Integer.toHexString(h) + " is NaN, got " + got);
        nans++;
        continue;
      }
      assertEquals(Float.floatToRawIntBits(torch[h]), Float.floatToRawIntBits(got), "half " + Integer.toHexString(h));
      assertEquals((short) h, Half.fromFloat(got), "round trip of half " + Integer.toHexString(h));
    }
    assertEquals(2 * 1023, nans, "NaN patterns: exponent 31, mantissa not 0, either sign");
  }
}
