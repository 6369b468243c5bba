package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelStagingTest {
  private static List<float[]> images(int n, int per, float offset) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] p = new float[per];
      for (int j = 0; j < per; j++) p[j] = offset + i * 1000 + j;
      out.add(p);
    }
    return out;
  }

  private static float[] concatenated(List<float[]> images) {
    float[] all = new float[images.size() * images.get(0).length];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * images.get(i).length, images.get(i).length);
    }
    return all;
  }

  @Test
  void everyBatchArrivesWholeAndAloneWhateverCameBefore() {
    int side = 4;
    int per = 3 * side * side;
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch"); PixelStaging staging = new PixelStaging(false)) {
      // 40 images (filled in parallel), then 3 into the same, larger buffer, then 50 (it grows)
      for (List<float[]> batch : List.of(images(40, per, 0), images(3, per, 0.5f), images(50, per, 0.25f))) {
        try (NDManager scope = m.newSubManager()) {
          NDArray a = staging.upload(scope, batch, per, side);
          assertEquals(new Shape(batch.size(), 3, side, side), a.getShape());
          assertArrayEquals(concatenated(batch), a.toFloatArray());
        }
      }
      assertTrue(staging.pinning().startsWith("pageable (the model is on the CPU)"), staging.pinning());
    }
  }

  @Test
  void aBufferThatCannotBePinnedStaysPageableAndSaysWhy() {
    // asking to pin on a machine whose engine sees no GPU: registering fails, the upload still works
    org.junit.jupiter.api.Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0);
    int per = 3 * 2 * 2;
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch"); PixelStaging staging = new PixelStaging(true)) {
      List<float[]> batch = images(2, per, 0);
      assertArrayEquals(concatenated(batch), staging.upload(m, batch, per, 2).toFloatArray());
      assertTrue(staging.pinning().startsWith("pageable: "), staging.pinning());
    }
  }
}
