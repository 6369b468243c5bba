package io.alvlm.stream;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.ImageRejectedException;
import java.util.List;
import java.util.Objects;

/** The embedder's {@link ImageTower} on a {@link ClipModel}: CLIP preprocessing and the image tower. */
public final class ClipImageTower implements ImageTower {
  private final ClipModel model;
  private final ImagePreprocessor preprocessor;
  private final boolean owned;

  /** @param owned whether {@link #close()} closes the model */
  public ClipImageTower(ClipModel model, long maxPixels, boolean owned) {
    this.model = Objects.requireNonNull(model);
    this.preprocessor = model.preprocessor(maxPixels);
    this.owned = owned;
  }

  @Override
  public float[] preprocess(String id, byte[] encoded) throws ImageRejected {
    try {
      return preprocessor.preprocess(encoded);
    } catch (ImageRejectedException e) {
      String reason = e.getMessage() != null && e.getMessage().contains("max-pixels") ? "too-large" : "image-decode";
      throw new ImageRejected(reason, "image " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public float[][] embed(List<float[]> pixels) {
    synchronized (model) {
      return model.embedImages(pixels);
    }
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  @Override
  public void close() {
    if (owned) {
      model.close();
    }
  }
}
