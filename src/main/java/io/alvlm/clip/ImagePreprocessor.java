package io.alvlm.clip;

/**
 * CLIP's image preprocessing in pure Java, as Hugging Face's {@code CLIPImageProcessor} does it:
 * decode to RGB, PIL-bicubic resize of the short side to {@code size} (long side
 * {@code floor(size·long/short)}), centre crop {@code size × size}, {@code /255}, then CLIP's
 * per-channel mean and standard deviation. Output is CHW float32, {@code 3·size·size} values.
 * Immutable and thread-safe; needs no NDManager.
 */
public final class ImagePreprocessor {
  /** OpenAI CLIP's channel means and standard deviations (RGB). */
  public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
  /** Default {@code image.max-pixels}: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private final int size;
  private final ImageDecoder decoder;

  /** Preprocessing to {@code size} with a decoder that applies the EXIF orientation and counts no frames. */
  public ImagePreprocessor(int size, long maxPixels) {
    this(size, new ImageDecoder(maxPixels));
  }

  public ImagePreprocessor(int size, ImageDecoder decoder) {
    if (size <= 0) throw new IllegalArgumentException("image size must be positive, got " + size);
    this.size = size;
    this.decoder = java.util.Objects.requireNonNull(decoder);
  }

  public int size() {
    return size;
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
    int w = img.width();
    int h = img.height();
    int shortSide = Math.min(w, h);
    int longSide = (int) ((long) size * Math.max(w, h) / shortSide);
    int nw = w <= h ? size : longSide;
    int nh = w <= h ? longSide : size;
    RgbImage resized = BicubicResampler.resize(img, nw, nh);
    int top = (nh - size) / 2;
    int left = (nw - size) / 2;
    return normalise(resized, left, top, size);
  }

  /** The {@code n × n} window at ({@code left}, {@code top}) of {@code img}, /255 and CLIP-normalised, CHW. */
  public static float[] normalise(RgbImage img, int left, int top, int n) {
    float[] out = new float[3 * n * n];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          out[(c * n + y) * n + x] = (img.at(left + x, top + y, c) / 255f - MEAN[c]) / STD[c];
        }
      }
    }
    return out;
  }
}
