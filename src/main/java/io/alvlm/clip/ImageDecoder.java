package io.alvlm.clip;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG (including CMYK and YCCK), WebP, TIFF, BMP and GIF into 8-bit RGB as Pillow's
 * {@code convert("RGB")} would (see {@link RgbConversion}), through the ImageIO readers on the class
 * path (the JDK's and TwelveMonkeys'). The width and height are read from the header first and images
 * above {@code maxPixels} are refused before any pixel is decoded (decompression bombs). Files with
 * several frames (animated GIF/WebP, multi-page TIFF) give their first frame, as Pillow does, and are
 * reported to {@code onLaterFrames}. The EXIF orientation is applied or ignored as {@code orientation}
 * says. Thread-safe when {@code onLaterFrames} is.
 */
public final class ImageDecoder {
  private final long maxPixels;
  private final ExifOrientation.Mode orientation;
  private final Consumer<ImageFormat> onLaterFrames;

  /** @param maxPixels the largest width × height accepted ({@code image.max.pixels}); EXIF orientation applied */
  public ImageDecoder(long maxPixels) {
    this(maxPixels, ExifOrientation.Mode.APPLY, f -> {});
  }

  /**
   * @param maxPixels the largest width × height accepted ({@code image.max.pixels})
   * @param orientation whether the EXIF orientation tag is applied ({@code image.exif.orientation})
   * @param onLaterFrames told the format of each image that had frames after the first (which were dropped)
   */
  public ImageDecoder(long maxPixels, ExifOrientation.Mode orientation, Consumer<ImageFormat> onLaterFrames) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("image.max.pixels must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
    this.orientation = Objects.requireNonNull(orientation);
    this.onLaterFrames = Objects.requireNonNull(onLaterFrames);
  }

  public long maxPixels() {
    return maxPixels;
  }

  public RgbImage decode(byte[] encoded) throws ImageRejectedException {
    ImageFormat fmt = ImageFormat.of(encoded);
    if (fmt == null) {
      throw new ImageRejectedException("not a " + ImageFormat.ACCEPTED + " image (first bytes " + hex(encoded)
          + "); convert it to one of those");
    }
    refuseShortWebp(fmt, encoded);
    RgbImage img = read(fmt, encoded);
    return orientation == ExifOrientation.Mode.APPLY ? ExifOrientation.upright(img, ExifOrientation.of(encoded, fmt)) : img;
  }

  private RgbImage read(ImageFormat fmt, byte[] encoded) throws ImageRejectedException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejectedException(fmt + " has no ImageIO reader here; the TwelveMonkeys ImageIO plugins are "
            + "missing from the class path");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true); // not forward-only: the frames are counted after the first is read
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > maxPixels) {
          throw new ImageRejectedException(fmt + " is " + w + "×" + h + ", above image.max.pixels=" + maxPixels
              + "; downscale it or raise image.max.pixels");
        }
        BufferedImage first = reader.read(0, samplesAsStored(reader));
        if (fmt.multiFrame() && laterFrames(reader)) {
          onLaterFrames.accept(fmt);
        }
        return RgbConversion.of(first, fmt == ImageFormat.JPEG);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(fmt + " could not be decoded (" + e.getMessage() + "); the file is corrupt "
          + "or uses a variant ImageIO cannot read", e);
    }
  }

  /**
   * Samples as the file stores them: CMYK as its ink values (Pillow's formula, not the ICC profile,
   * makes the RGB) and RGB without the embedded profile applied (phones embed Display P3), as Pillow.
   */
  private static ImageReadParam samplesAsStored(ImageReader reader) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw != null) {
      param.setDestinationType(raw);
    }
    return param;
  }

  private static boolean laterFrames(ImageReader reader) {
    try {
      return reader.getNumImages(true) > 1;
    } catch (IOException | RuntimeException e) {
      return false; // the first frame decoded; a damaged tail is Pillow's business as little as ours
    }
  }

  /** A WebP whose RIFF header declares more bytes than arrived is cut short; some decoders would fill the rest. */
  private static void refuseShortWebp(ImageFormat fmt, byte[] b) throws ImageRejectedException {
    if (fmt != ImageFormat.WEBP) return;
    long declared = 8 + ((b[4] & 0xffL) | (b[5] & 0xffL) << 8 | (b[6] & 0xffL) << 16 | (b[7] & 0xffL) << 24);
    if (declared > b.length) {
      throw new ImageRejectedException("WebP is truncated: its header declares " + declared + " bytes, " + b.length
          + " arrived; resend the whole file");
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) s.append(String.format("%02x", b[i] & 0xff));
    return s.length() == 0 ? "none" : s.toString();
  }
}
