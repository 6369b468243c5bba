package io.alvlm.clip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The EXIF orientation tag (274, values 1–8) of an encoded image, and the transpose that shows the
 * pixels as a viewer displays them — Pillow's {@code ImageOps.exif_transpose}, which Hugging Face's
 * {@code load_image} applies. The tag is read from the bytes (JPEG APP1, PNG eXIf, WebP EXIF chunk,
 * a TIFF's first IFD) without decoding anything; a missing or malformed tag reads as 1 (upright).
 */
public final class ExifOrientation {
  /** Whether the orientation tag is applied ({@code image.exif.orientation}). */
  public enum Mode {
    /** Rotate and mirror as the tag says, as {@code load_image} does: a phone photo is embedded upright. */
    APPLY,
    /** Use the pixels as stored, as a bare {@code Image.open} does. */
    IGNORE;

    /** {@code apply} or {@code ignore}, any case. */
    public static Mode parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "apply" -> APPLY;
        case "ignore" -> IGNORE;
        default -> throw new IllegalArgumentException("image.exif.orientation is apply or ignore, got '" + s + "'");
      };
    }
  }

  private static final int TAG = 274;

  private ExifOrientation() {}

  /** The orientation tag of {@code b}, 1 when it has none (BMP and GIF never do). */
  public static int of(byte[] b, ImageFormat format) {
    int v = switch (format) {
      case JPEG -> inJpeg(b);
      case PNG -> inPng(b);
      case WEBP -> inWebp(b);
      case TIFF -> inTiff(b, 0, b.length);
      case BMP, GIF -> 1;
    };
    return v >= 1 && v <= 8 ? v : 1;
  }

  /** {@code img} turned to show as orientation {@code o} says; 1 (and values outside 1–8) leave it as it is. */
  public static RgbImage upright(RgbImage img, int o) {
    if (o < 2 || o > 8) return img;
    int w = img.width();
    int h = img.height();
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    byte[] src = img.rgb();
    byte[] out = new byte[src.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // the source pixel of output (x, y), case by case as PIL's Transpose names them
        int sx;
        int sy;
        switch (o) {
          case 2 -> { sx = w - 1 - x; sy = y; }          // FLIP_LEFT_RIGHT
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // ROTATE_180
          case 4 -> { sx = x; sy = h - 1 - y; }          // FLIP_TOP_BOTTOM
          case 5 -> { sx = y; sy = x; }                  // TRANSPOSE
          case 6 -> { sx = y; sy = h - 1 - x; }          // ROTATE_270 (90° clockwise)
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // TRANSVERSE
          default -> { sx = w - 1 - y; sy = x; }         // 8: ROTATE_90 (90° anticlockwise)
        }
        System.arraycopy(src, (sy * w + sx) * 3, out, (y * ow + x) * 3, 3);
      }
    }
    return new RgbImage(ow, oh, out);
  }

  private static int inJpeg(byte[] b) {
    int i = 2;
    while (i + 4 <= b.length && (b[i] & 0xff) == 0xFF) {
      int marker = b[i + 1] & 0xff;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) return 1; // scan data or end: no EXIF ahead of the pixels
      int len = u16(b, i + 2, true);
      int data = i + 4;
      if (marker == 0xE1 && startsWith(b, data, "Exif\0\0")) return inTiff(b, data + 6, Math.min(b.length, i + 2 + len));
      i += 2 + len;
    }
    return 1;
  }

  private static int inPng(byte[] b) {
    int i = 8;
    while (i + 12 <= b.length) {
      long len = u32(b, i, true);
      if (len > b.length - i - 12) return 1;
      if (startsWith(b, i + 4, "eXIf")) return exifBlock(b, i + 8, i + 8 + (int) len);
      if (startsWith(b, i + 4, "IEND")) return 1;
      i += 12 + (int) len;
    }
    return 1;
  }

  private static int inWebp(byte[] b) {
    int i = 12;
    while (i + 8 <= b.length) {
      long len = u32(b, i + 4, false);
      if (len > b.length - i - 8) return 1;
      if (startsWith(b, i, "EXIF")) return exifBlock(b, i + 8, i + 8 + (int) len);
      i += 8 + (int) (len + (len & 1)); // chunks are padded to an even size
    }
    return 1;
  }

  /** An EXIF block that some writers start with the JPEG-style "Exif\0\0" and some do not; Pillow takes both. */
  private static int exifBlock(byte[] b, int from, int to) {
    return startsWith(b, from, "Exif\0\0") ? inTiff(b, from + 6, to) : inTiff(b, from, to);
  }

  /** Tag 274 of the first IFD of the TIFF structure at {@code b[from, to)}. */
  private static int inTiff(byte[] b, int from, int to) {
    if (to - from < 8) return 1;
    boolean big;
    if (b[from] == 'M' && b[from + 1] == 'M') big = true;
    else if (b[from] == 'I' && b[from + 1] == 'I') big = false;
    else return 1;
    long ifd = u32(b, from + 4, big);
    if (ifd < 8 || ifd > to - from - 2) return 1;
    int at = from + (int) ifd;
    int n = u16(b, at, big);
    for (int e = 0; e < n; e++) {
      int entry = at + 2 + 12 * e;
      if (entry + 12 > to) return 1;
      if (u16(b, entry, big) == TAG) {
        return u16(b, entry + 2, big) == 3 ? u16(b, entry + 8, big) : 1; // a SHORT, stored in the value field
      }
    }
    return 1;
  }

  private static boolean startsWith(byte[] b, int at, String s) {
    byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
    if (at < 0 || at + t.length > b.length) return false;
    for (int i = 0; i < t.length; i++) {
      if (b[at + i] != t[i]) return false;
    }
    return true;
  }

  private static int u16(byte[] b, int at, boolean big) {
    if (at + 2 > b.length) return -1;
    int x = b[at] & 0xff;
    int y = b[at + 1] & 0xff;
    return big ? x << 8 | y : y << 8 | x;
  }

  private static long u32(byte[] b, int at, boolean big) {
    if (at + 4 > b.length) return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
      int idx = big ? at + k : at + 3 - k;
      v = v << 8 | (b[idx] & 0xff);
    }
    return v;
  }
}
