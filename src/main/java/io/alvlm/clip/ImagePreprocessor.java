package io.alvlm.clip;

/**
 * CLIP's image preprocessing in pure Java, as Hugging Face's {@code CLIPImageProcessor} does it
 * with its PIL backend, under a {@link PreprocessorConfig}: decode to RGB, PIL resize (bicubic by
 * default) of the short side to {@code shortest_edge} (long side {@code floor(n·long/short)}) or to
 * {@code height × width}, centre crop (zero-padded where the image is smaller, as transformers'
 * {@code center_crop}), rescale ({@code ·1/255}) and per-channel mean and standard deviation.
 * Output is CHW float32, {@code 3·size·size} values. Immutable and thread-safe; needs no NDManager.
 */
public final class ImagePreprocessor {
  /** OpenAI CLIP's channel means and standard deviations (RGB). */
  public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
  /** Default {@code image.max.pixels}: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private final PreprocessorConfig config;
  private final int size;
  private final ImageDecoder decoder;

  /** CLIP's preprocessing to {@code size} with a decoder that applies the EXIF orientation and counts no frames. */
  public ImagePreprocessor(int size, long maxPixels) {
    this(size, new ImageDecoder(maxPixels));
  }

  /** CLIP's preprocessing to {@code size}. */
  public ImagePreprocessor(int size, ImageDecoder decoder) {
    this(PreprocessorConfig.clip(positive(size)), decoder);
  }

  /** The preprocessing {@code config} asks for; its output side is its crop (or square resize) size. */
  public ImagePreprocessor(PreprocessorConfig config, ImageDecoder decoder) {
    this.config = java.util.Objects.requireNonNull(config);
    this.size = config.centreCrop() ? config.cropSize() : config.resizeHeight();
    this.decoder = java.util.Objects.requireNonNull(decoder);
  }

  private static int positive(int size) {
    if (size <= 0) throw new IllegalArgumentException("image size must be positive, got " + size);
    return size;
  }

  public int size() {
    return size;
  }

  public PreprocessorConfig config() {
    return config;
  }

  public ImageDecoder decoder() {
    return decoder;
  }

  /** Decodes and preprocesses one encoded image to CHW floats; the exception message is the reason. */
  public float[] preprocess(byte[] encoded) throws ImageRejectedException {
    return preprocess(decoder.decode(encoded));
  }

  /** Preprocesses an already decoded image. */
  public float[] preprocess(RgbImage img) {
    RgbImage resized = config.resize() ? config.resample().resize(img, resizedWidth(img), resizedHeight(img)) : img;
    // transformers' center_crop: offsets floor((side - crop) / 2), zeros outside a smaller image
    int top = config.centreCrop() ? Math.floorDiv(resized.height() - size, 2) : 0;
    int left = config.centreCrop() ? Math.floorDiv(resized.width() - size, 2) : 0;
    return window(resized, left, top);
  }

  /** The {@code size²} window at ({@code left}, {@code top}), rescaled and normalised, CHW. */
  private float[] window(RgbImage resized, int left, int top) {
    float[] out = new float[3 * size * size];
    for (int c = 0; c < 3; c++) {
      float mean = config.normalize() ? config.mean()[c] : 0f;
      float std = config.normalize() ? config.std()[c] : 1f;
      for (int y = 0; y < size; y++) {
        int sy = top + y;
        for (int x = 0; x < size; x++) {
          int sx = left + x;
          boolean inside = sy >= 0 && sx >= 0 && sy < resized.height() && sx < resized.width();
          out[(c * size + y) * size + x] = (level(inside ? resized.at(sx, sy, c) : 0) - mean) / std;
        }
      }
    }
    return out;
  }

  /** An 8-bit level after rescaling, in float32 as numpy gets it from a float64 product. */
  private float level(int v) {
    return config.rescale() ? (float) (v * config.rescaleFactor()) : v;
  }

  private int resizedWidth(RgbImage img) {
    if (config.shortestEdge() == 0) return config.resizeWidth();
    return img.width() <= img.height() ? config.shortestEdge() : longSide(img);
  }

  private int resizedHeight(RgbImage img) {
    if (config.shortestEdge() == 0) return config.resizeHeight();
    return img.width() <= img.height() ? longSide(img) : config.shortestEdge();
  }

  private int longSide(RgbImage img) {
    long longer = Math.max(img.width(), img.height());
    return (int) (config.shortestEdge() * longer / Math.min(img.width(), img.height()));
  }

  /** An image already {@code size × size}, rescaled and normalised as this preprocessing does, CHW. */
  public float[] normalise(RgbImage img) {
    if (img.width() != size || img.height() != size) {
      throw new IllegalArgumentException("image is " + img.width() + "×" + img.height() + ", expected " + size + "×"
          + size);
    }
    return window(img, 0, 0);
  }
}
