package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.alvlm.data.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** model.dtype: a reduced image tower checked against fp32 (on the CPU only fp16 runs, see ClipModel). */
class PrecisionTest {
  @Test
  void fp16ImageFeaturesStayWithinOnePercentOfFp32() throws Exception {
    List<float[]> pixels = Expected.rowList("pixel_values");
    float[][] fp32;
    try (ClipModel m = ClipModel.load(Fixtures.clipTinyModel(), Device.cpu(), Precision.FP32)) {
      fp32 = m.embedImages(pixels);
    }
    try (ClipModel m = ClipModel.load(Fixtures.clipTinyModel(), Device.cpu(), Precision.FP16)) {
      assertEquals(Precision.FP16, m.precision());
      float[][] fp16 = m.embedImages(pixels);
      double err = Expected.relativeError(fp16, fp32);
      assertTrue(err < 1e-2, "fp16 vs fp32 relative error " + err);
      assertTrue(err > 0, "fp16 gave bit-identical features: the tower did not run in fp16");
      assertTrue(Expected.relativeError(fp16, Expected.rows("image_embeds")) < 1e-2);
      // the text tower stays fp32 (CoOp differentiates through it)
      assertTrue(Expected.relativeError(m.encodeTexts(List.of("a photo of a dog.")),
          new float[][] {fp32Text()}) < 1e-6);
    }
  }

  private static float[] fp32Text() throws Exception {
    try (ClipModel m = ClipModel.load(Fixtures.clipTinyModel(), Device.cpu(), Precision.FP32)) {
      return m.encodeTexts(List.of("a photo of a dog."))[0];
    }
  }

  @Test
  void bf16IsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClipModel.load(Fixtures.clipTinyModel(), Device.cpu(), Precision.BF16));
    assertTrue(e.getMessage().contains("aborts the JVM"), e.getMessage());
  }

  @Test
  void dtypeNamesParse() {
    assertEquals(Precision.FP16, Precision.of("FP16"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.of("int8"));
    assertTrue(e.getMessage().contains("fp32, fp16, bf16"));
  }
}
