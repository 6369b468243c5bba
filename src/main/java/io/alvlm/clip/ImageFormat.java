package io.alvlm.clip;

/**
 * The encoded image formats the decoder accepts, told apart by their leading magic bytes (never by
 * a file name or a content type, which producers get wrong).
 */
public enum ImageFormat {
  PNG("PNG", false),
  JPEG("JPEG", false),
  WEBP("WebP", true),
  TIFF("TIFF", true),
  BMP("BMP", false),
  GIF("GIF", true);

  /** What the refusal message says when no magic matches. */
  static final String ACCEPTED = "PNG, JPEG, WebP, TIFF, BMP or GIF";

  private final String label;
  private final boolean multiFrame;

  ImageFormat(String label, boolean multiFrame) {
    this.label = label;
    this.multiFrame = multiFrame;
  }

  /** Whether files of this format may hold more than one frame (animation, pages); only the first is used. */
  public boolean multiFrame() {
    return multiFrame;
  }

  @Override
  public String toString() {
    return label;
  }

  /** The format of {@code b} from its magic bytes, or null when it is none of the accepted ones. */
  public static ImageFormat of(byte[] b) {
    if (starts(b, 0x89, 'P', 'N', 'G')) return PNG;
    if (starts(b, 0xFF, 0xD8, 0xFF)) return JPEG;
    if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) return TIFF;
    if (starts(b, 'B', 'M') && b.length >= 26) return BMP;
    if (starts(b, 'G', 'I', 'F', '8')) return GIF;
    return null;
  }

  private static boolean starts(byte[] b, int... magic) {
    if (b.length < magic.length) return false;
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) return false;
    }
    return true;
  }
}
