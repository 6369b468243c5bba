package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * An image tower: preprocessed pixels {@code [B, 3, S, S]} in, image features {@code [B, width]}
 * out (not normalised, float32), intermediates on the pixels' manager. The family picks which.
 */
interface VisionModel {
  NDArray forward(NDArray pixels);

  /** CLIP's class-token tower with its projection, or SigLIP's with its attention-pooling head. */
  static VisionModel of(Checkpoint ck, ClipConfig cfg) throws IOException {
    return cfg.family() == ModelFamily.CLIP ? new VisionTower(ck, cfg) : new SiglipVisionTower(ck, cfg);
  }

  /** Refuses pixels that are not {@code [B, 3, size, size]}. */
  static void checkPixels(NDArray pixels, int size) {
    Shape s = pixels.getShape();
    if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
      throw new IllegalArgumentException("pixels have shape " + s + ", expected [B, 3, " + size + ", " + size + "]");
    }
  }
}
