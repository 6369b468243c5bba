package io.alvlm.topics;

/** The cluster's topics are missing or do not match alvlm's {@link TopicSpec}s; the message says how. */
public final class TopicMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TopicMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
