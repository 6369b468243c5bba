package io.alvlm.clip;

/**
 * An 8-bit RGB image, row-major and interleaved ({@code r, g, b} per pixel) — what PIL calls mode
 * "RGB". Values are unsigned bytes.
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(width + "×" + height + " RGB needs " + (long) width * height * 3
          + " bytes, got " + rgb.length);
    }
  }

  /** Channel {@code c} of pixel ({@code x}, {@code y}) in 0..255. */
  public int at(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }

  /** The {@code w × h} window at ({@code left}, {@code top}), as PIL's {@code crop} gives it. */
  public RgbImage crop(int left, int top, int w, int h) {
    if (left < 0 || top < 0 || w <= 0 || h <= 0 || left + w > width || top + h > height) {
      throw new IllegalArgumentException("crop " + w + "×" + h + " at (" + left + ", " + top + ") is outside "
          + width + "×" + height);
    }
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(rgb, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
    }
    return new RgbImage(w, h, out);
  }

  /** The image mirrored left to right. */
  public RgbImage mirrored() {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        System.arraycopy(rgb, (y * width + x) * 3, out, (y * width + width - 1 - x) * 3, 3);
      }
    }
    return new RgbImage(width, height, out);
  }
}
