package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.ImageRejectedException;
import java.util.List;
import java.util.Objects;

/** The embedder's {@link ImageTower} on a {@link ClipModel}: CLIP preprocessing and the image tower. */
public final class ClipImageTower implements ImageTower {
  private final ClipModel model;
  private final ImagePreprocessor preprocessor;
  private final boolean owned;

  /**
   * @param decoder the decoder with the service's image settings ({@link #decoder})
   * @param owned whether {@link #close()} closes the model
   */
  public ClipImageTower(ClipModel model, ImageDecoder decoder, boolean owned) {
    this.model = Objects.requireNonNull(model);
    this.preprocessor = model.preprocessor(decoder);
    this.owned = owned;
  }

  /** The decoder {@code image.max.pixels} and {@code image.exif.orientation} ask for, counting multi-frame images. */
  public static ImageDecoder decoder(ServiceConfig c, ServiceMetrics metrics) {
    return new ImageDecoder(c.get(Settings.IMAGE_MAX_PIXELS), c.get(Settings.IMAGE_EXIF_ORIENTATION),
        metrics::laterFramesDropped);
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
