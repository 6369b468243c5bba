package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BicubicResamplerTest {
  @Test
  void sameSizeIsIdentity() {
    byte[] px = new byte[5 * 4 * 3];
    for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37);
    RgbImage img = new RgbImage(5, 4, px);
    assertArrayEquals(px, BicubicResampler.resize(img, 5, 4).rgb());
  }

  @Test
  void flatImageStaysFlatWhenScaled() {
    byte[] px = new byte[50 * 30 * 3];
    java.util.Arrays.fill(px, (byte) 200);
    RgbImage out = BicubicResampler.resize(new RgbImage(50, 30, px), 7, 13);
    for (byte b : out.rgb()) assertEquals(200, b & 0xff);
  }

  @Test
  void filterIsKeysCubicWithMinusHalf() {
    assertEquals(1.0, BicubicResampler.filter(0), 1e-12);
    assertEquals(0.0, BicubicResampler.filter(1), 1e-12);
    assertEquals(0.5625, BicubicResampler.filter(0.5), 1e-12);
    assertEquals(-0.0625, BicubicResampler.filter(1.5), 1e-12);
  }
}
