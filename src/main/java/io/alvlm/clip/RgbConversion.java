package io.alvlm.clip;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded {@link BufferedImage} to 8-bit RGB exactly as Pillow's {@code convert("RGB")} does it, so
 * that features match the Python reference: samples are taken as stored (ICC profiles are not applied,
 * as Pillow does not), palette entries are looked up, grey is replicated, alpha is dropped without
 * compositing, and CMYK uses Pillow's integer formula. Deliberate difference: 16-bit samples are
 * scaled to the nearest 8-bit level ({@code round(s·255/65535)}), where Pillow saturates 16-bit grey
 * to white and keeps the high byte of 16-bit RGB.
 */
final class RgbConversion {
  private RgbConversion() {}

  /**
   * @param inkInverted whether CMYK samples are stored inverted (0 = full ink), as Pillow assumes of every
   *     CMYK JPEG (Adobe's convention, which is what CMYK JPEGs in the wild follow)
   */
  static RgbImage of(BufferedImage img, boolean inkInverted) {
    ColorModel cm = img.getColorModel();
    Raster r = img.getRaster();
    int type = cm.getColorSpace().getType();
    int colours = cm.getNumColorComponents();
    boolean integral = r.getTransferType() != DataBuffer.TYPE_FLOAT && r.getTransferType() != DataBuffer.TYPE_DOUBLE;
    if (cm instanceof IndexColorModel icm) return palette(r, icm);
    if (integral && !cm.isAlphaPremultiplied()) {
      if (type == ColorSpace.TYPE_GRAY && colours == 1) return samples(r, cm, new int[] {0, 0, 0});
      if (type == ColorSpace.TYPE_RGB && colours == 3) return samples(r, cm, new int[] {0, 1, 2});
      if (type == ColorSpace.TYPE_CMYK && colours == 4) return cmyk(r, cm, inkInverted ? 255 : 0);
    }
    return viaColourModel(img); // other spaces (Lab, YCbCr TIFF, float samples): Java's own conversion to sRGB
  }

  private static RgbImage palette(Raster r, IndexColorModel icm) {
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] rgb = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) icm.getRed(row[x]);
        rgb[o + 1] = (byte) icm.getGreen(row[x]);
        rgb[o + 2] = (byte) icm.getBlue(row[x]);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** One pixel's RGB from its samples {@code px[at ..]} (component sizes {@code bits}) into {@code rgb[o ..]}. */
  private interface PixelRule {
    void apply(int[] px, int at, int[] bits, byte[] rgb, int o);
  }

  /** Output channel c takes band {@code bands[c]}, scaled to 8 bits; bands past the colours (alpha) are dropped. */
  private static RgbImage samples(Raster r, ColorModel cm, int[] bands) {
    return perPixel(r, cm, (px, at, bits, rgb, o) -> {
      for (int c = 0; c < 3; c++) rgb[o + c] = (byte) eightBit(px[at + bands[c]], bits[bands[c]]);
    });
  }

  /**
   * Pillow's {@code cmyk2rgb}: {@code nk − c·nk/255} with {@code nk = 255 − k}, in its rounding; the
   * samples are first XORed with {@code invert} (255 undoes Adobe's inverted storage, 0 keeps them).
   */
  private static RgbImage cmyk(Raster r, ColorModel cm, int invert) {
    return perPixel(r, cm, (px, at, bits, rgb, o) -> {
      int nk = 255 - (eightBit(px[at + 3], bits[3]) ^ invert);
      for (int c = 0; c < 3; c++) {
        int t = (eightBit(px[at + c], bits[c]) ^ invert) * nk + 128;
        rgb[o + c] = (byte) Math.max(0, nk - (((t >> 8) + t) >> 8));
      }
    });
  }

  private static RgbImage perPixel(Raster r, ColorModel cm, PixelRule rule) {
    int w = r.getWidth();
    int h = r.getHeight();
    int n = r.getNumBands();
    byte[] rgb = new byte[w * h * 3];
    int[] px = new int[w * n];
    int[] bits = cm.getComponentSize();
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, px); // a row at a time: one call per pixel is slow on 40-megapixel images
      for (int x = 0; x < w; x++) rule.apply(px, x * n, bits, rgb, (y * w + x) * 3);
    }
    return new RgbImage(w, h, rgb);
  }

  private static int eightBit(int sample, int bits) {
    return bits == 8 ? sample : (int) Math.round(sample * 255.0 / ((1L << bits) - 1));
  }

  private static RgbImage viaColourModel(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (row[x] >> 16);
        rgb[o + 1] = (byte) (row[x] >> 8);
        rgb[o + 2] = (byte) row[x];
      }
    }
    return new RgbImage(w, h, rgb);
  }
}
