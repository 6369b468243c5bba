package io.alvlm.coop;

import io.alvlm.clip.BicubicResampler;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.ImageRejectedException;
import io.alvlm.clip.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Image features of augmented views, computed once per labelled image. CoOp augments with
 * torchvision's {@code RandomResizedCrop(scale 0.08–1, ratio 3/4–4/3, bicubic)} and a random
 * horizontal flip, drawing a fresh view every epoch. The image tower is frozen, so here
 * {@code viewsPerImage} views are embedded once and training samples one of them per epoch.
 *
 * <p>Trade-off: training then costs only the text tower (no image forward pass per epoch, which
 * dominates CoOp's step time), but the model sees {@code viewsPerImage} distinct augmentations of
 * an image instead of one per epoch (200), so it regularises less; 8–16 views keep most of the
 * benefit. {@code viewsPerImage = 0} gives the plain CLIP-preprocessed feature only. Seeded and
 * deterministic; not thread-safe (it calls the model).
 */
public final class AugmentedViews {
  private static final double MIN_SCALE = 0.08;
  private static final double MAX_SCALE = 1.0;
  private static final double MIN_RATIO = 3.0 / 4.0;
  private static final double MAX_RATIO = 4.0 / 3.0;

  private final ClipModel clip;
  private final ImageDecoder decoder;
  private final ImagePreprocessor plain;
  private final Random rnd;

  public AugmentedViews(ClipModel clip, long maxPixels, long seed) {
    this.clip = clip;
    this.decoder = new ImageDecoder(maxPixels);
    this.plain = clip.preprocessor(maxPixels);
    this.rnd = new Random(seed);
  }

  /** {@code [images][max(1, viewsPerImage)][projection]} image features, not normalised. */
  public float[][][] compute(List<byte[]> encoded, int viewsPerImage) throws ImageRejectedException {
    int v = Math.max(1, viewsPerImage);
    float[][][] out = new float[encoded.size()][][];
    int chunk = Math.max(1, 256 / v);
    for (int start = 0; start < encoded.size(); start += chunk) {
      List<float[]> pixels = new ArrayList<>();
      int end = Math.min(encoded.size(), start + chunk);
      for (int i = start; i < end; i++) {
        RgbImage img;
        try {
          img = decoder.decode(encoded.get(i));
        } catch (ImageRejectedException e) {
          throw new ImageRejectedException("image " + i + ": " + e.getMessage(), e);
        }
        for (int k = 0; k < v; k++) {
          pixels.add(viewsPerImage == 0 ? plain.preprocess(img) : view(img, plain, rnd));
        }
      }
      float[][] f = clip.embedImages(pixels);
      for (int i = start; i < end; i++) {
        out[i] = new float[v][];
        for (int k = 0; k < v; k++) out[i][k] = f[(i - start) * v + k];
      }
    }
    return out;
  }

  /** One random resized crop (bicubic, to {@code size × size}) with a coin-flip mirror, CLIP-normalised CHW. */
  public static float[] view(RgbImage img, int size, Random rnd) {
    return view(img, new ImagePreprocessor(size, ImagePreprocessor.DEFAULT_MAX_PIXELS), rnd);
  }

  /** The same, at the preprocessor's size and rescaled and normalised as it is (the checkpoint's mean and std). */
  public static float[] view(RgbImage img, ImagePreprocessor pre, Random rnd) {
    int[] box = cropBox(img.width(), img.height(), rnd);
    RgbImage crop = BicubicResampler.resize(img.crop(box[0], box[1], box[2], box[3]), pre.size(), pre.size());
    if (rnd.nextBoolean()) crop = crop.mirrored();
    return pre.normalise(crop);
  }

  /** torchvision's {@code RandomResizedCrop.get_params}: {@code {left, top, width, height}}. */
  static int[] cropBox(int width, int height, Random rnd) {
    double area = (double) width * height;
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * (MIN_SCALE + rnd.nextDouble() * (MAX_SCALE - MIN_SCALE));
      double logRatio = Math.log(MIN_RATIO) + rnd.nextDouble() * (Math.log(MAX_RATIO) - Math.log(MIN_RATIO));
      double aspect = Math.exp(logRatio);
      int w = (int) Math.round(Math.sqrt(target * aspect));
      int h = (int) Math.round(Math.sqrt(target / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        return new int[] {rnd.nextInt(width - w + 1), rnd.nextInt(height - h + 1), w, h};
      }
    }
    // fallback: the whole image clipped to the ratio range, centred
    double ratio = (double) width / height;
    int w = width;
    int h = height;
    if (ratio < MIN_RATIO) {
      h = (int) Math.round(w / MIN_RATIO);
    } else if (ratio > MAX_RATIO) {
      w = (int) Math.round(h * MAX_RATIO);
    }
    return new int[] {(width - w) / 2, (height - h) / 2, w, h};
  }
}
