package io.alvlm.clip;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG and (when an ImageIO WebP plugin is on the classpath) WebP into 8-bit RGB,
 * as PIL's {@code convert("RGB")} would: alpha dropped, grey replicated. The width and height are
 * read from the header first and images above {@code maxPixels} are refused before any pixel is
 * decoded (decompression bombs). Thread-safe.
 */
public final class ImageDecoder {
  private final long maxPixels;

  /** @param maxPixels the largest width × height accepted ({@code image.max-pixels}) */
  public ImageDecoder(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("image.max-pixels must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  public long maxPixels() {
    return maxPixels;
  }

  /** The format name of {@code encoded} from its magic bytes ("PNG", "JPEG", "WebP"), or null. */
  static String format(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "PNG";
    if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) return "JPEG";
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P') return "WebP";
    return null;
  }

  public RgbImage decode(byte[] encoded) throws ImageRejectedException {
    String fmt = format(encoded);
    if (fmt == null) {
      throw new ImageRejectedException("not a PNG, JPEG or WebP image (first bytes " + hex(encoded)
          + "); convert it to one of those");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejectedException(fmt + " has no ImageIO reader here"
            + (fmt.equals("WebP") ? "; add a WebP ImageIO plugin to the classpath or send PNG/JPEG" : ""));
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > maxPixels) {
          throw new ImageRejectedException(fmt + " is " + w + "×" + h + ", above image.max-pixels=" + maxPixels
              + "; downscale it or raise image.max-pixels");
        }
        return toRgb(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(fmt + " could not be decoded (" + e.getMessage() + "); the file is corrupt "
          + "or uses a variant ImageIO cannot read", e);
    }
  }

  private static RgbImage toRgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    Raster r = img.getRaster();
    int colourBands = img.getColorModel().getNumColorComponents();
    if (colourBands == 1 && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
      // raw grey samples: getRGB would apply Java's linear-grey-to-sRGB conversion, PIL does not
      int bits = img.getColorModel().getComponentSize(0);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int s = r.getSample(x, y, 0);
          int v = bits == 8 ? s : (int) Math.round(s * 255.0 / ((1 << bits) - 1));
          int o = (y * w + x) * 3;
          rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) v;
        }
      }
    } else {
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
    }
    return new RgbImage(w, h, rgb);
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) s.append(String.format("%02x", b[i] & 0xff));
    return s.length() == 0 ? "none" : s.toString();
  }
}
