package io.alvlm.embedder;

/**
 * An image the service will not process, with a short machine-readable reason (the DLQ's
 * {@code reason}: {@code fetch-denied}, {@code fetch-failed}, {@code too-large}, {@code image-decode}, ...)
 * and a message that says what to do.
 */
public final class ImageRejected extends Exception {
  private final String reason;

  public ImageRejected(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageRejected(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
