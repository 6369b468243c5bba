package io.alvlm.clip;

/**
 * An encoded image that will not be embedded: unknown or unsupported format, too many pixels,
 * corrupt data. The message is the reason and says what to do; callers send the record to a
 * dead-letter topic rather than retrying.
 */
public final class ImageRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageRejectedException(String message) {
    super(message);
  }

  public ImageRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
