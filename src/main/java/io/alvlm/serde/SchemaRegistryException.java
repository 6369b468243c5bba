package io.alvlm.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry call failed: an HTTP error (with the registry's {@code error_code} and
 * message, e.g. 40401 subject not found, 40403 schema not found, 409 incompatible schema), an
 * incompatible schema refused before registering, or the registry could not be reached.
 * {@link #outage()} tells the last apart: the record at hand may be fine, so it must not be
 * dead-lettered; the work is retried later instead.
 */
public final class SchemaRegistryException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;
  private final boolean outage;

  /** A refusal: the registry answered, and the answer says the request is wrong. */
  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    this(httpStatus, errorCode, message, cause, false);
  }

  /**
   * @param outage true when the registry could not be reached or kept answering "try again later"
   *     (5xx, 408, 429) until the call's deadline
   */
  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause, boolean outage) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.outage = outage;
  }

  /** Whether {@code t} or one of its causes is a registry {@link #outage()}. */
  public static boolean isOutage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SchemaRegistryException e && e.outage()) {
        return true;
      }
    }
    return false;
  }

  /** True when the registry was unreachable or unavailable rather than refusing the request. */
  public boolean outage() {
    return outage;
  }

  /** HTTP status of the failed call, or -1 when none came back (connection failure, refusal). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code} (e.g. 40403), or -1 when it gave none. */
  public int errorCode() {
    return errorCode;
  }
}
