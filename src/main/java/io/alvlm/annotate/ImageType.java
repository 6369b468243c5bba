package io.alvlm.annotate;

import java.util.Optional;

/**
 * The media type of encoded image bytes, read from their magic numbers. Only raster formats a
 * browser shows are named: anything else (SVG, HTML, ...) is never served as an image, since the
 * bytes come from producers the workbench does not trust.
 */
public final class ImageType {
  private ImageType() {}

  public static Optional<String> sniff(byte[] b) {
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return Optional.of("image/png");
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return Optional.of("image/jpeg");
    }
    if (starts(b, 'G', 'I', 'F', '8')) {
      return Optional.of("image/gif");
    }
    if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return Optional.of("image/webp");
    }
    if (starts(b, 'B', 'M')) {
      return Optional.of("image/bmp");
    }
    return Optional.empty();
  }

  private static boolean starts(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
