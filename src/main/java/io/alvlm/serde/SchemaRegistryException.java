package io.alvlm.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry call failed: an HTTP error (with the registry's {@code error_code} and
 * message, e.g. 40401 subject not found, 40403 schema not found, 409 incompatible schema), an
 * incompatible schema refused before registering, or the registry could not be reached.
 */
public final class SchemaRegistryException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
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
