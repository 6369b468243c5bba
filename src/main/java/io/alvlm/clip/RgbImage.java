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
