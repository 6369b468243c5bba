package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoopPartsTest {
  @Test
  void sgdMatchesTorchWithMomentumAndWeightDecay() {
    Sgd sgd = new Sgd(0.9, 0.1);
    float[] p = {1f, -2f};
    sgd.step(p, new float[] {0.5f, 0.5f}, 0.1);
    // g = grad + 0.1 p = (0.6, 0.3); buf = g; p -= 0.1 g
    assertArrayEquals(new float[] {0.94f, -2.03f}, p, 1e-6f);
    sgd.step(p, new float[] {0.5f, 0.5f}, 0.1);
    // g = (0.594, 0.297); buf = 0.9 (0.6, 0.3) + g = (1.134, 0.567)
    assertArrayEquals(new float[] {0.94f - 0.1134f, -2.03f - 0.0567f}, p, 1e-6f);
  }

  @Test
  void learningRateWarmsUpThenFollowsCosine() {
    CoopConfig c = CoopConfig.defaults();
    assertEquals(1e-5, c.learningRate(0));
    assertEquals(0.002, c.learningRate(1), 1e-12);
    assertEquals(0.001, c.learningRate(101), 1e-12);
    assertTrue(c.learningRate(199) < 1e-6 + 0.002 * (1 - Math.cos(Math.PI / 200)));
    CoopConfig plain = new CoopConfig(4, "", false, CoopConfig.ClassPosition.END, 1, 4, 1, 0, 0, 0, 1e-5, 0, 0, true);
    assertEquals(1.0, plain.learningRate(0));
  }

  @Test
  void randomResizedCropsStayInsideTheImageAndRepeatUnderASeed() {
    Random a = new Random(3);
    Random b = new Random(3);
    for (int i = 0; i < 500; i++) {
      int[] box = AugmentedViews.cropBox(64, 96, a);
      assertArrayEquals(box, AugmentedViews.cropBox(64, 96, b));
      assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 64 && box[1] + box[3] <= 96);
      double area = box[2] * (double) box[3] / (64 * 96);
      assertTrue(area >= 0.07 && area <= 1.0, "area " + area);
    }
  }

  @Test
  void viewIsCropResizedFlippedAndNormalised() {
    byte[] px = new byte[40 * 20 * 3];
    for (int i = 0; i < px.length; i++) px[i] = (byte) 128;
    float[] v = AugmentedViews.view(new RgbImage(40, 20, px), 16, new Random(1));
    assertEquals(3 * 16 * 16, v.length);
    assertEquals((128 / 255f - 0.48145466f) / 0.26862954f, v[0], 1e-6);
  }
}
