package io.alvlm.serde;

import java.util.Locale;

/** How a record's value is laid out on the wire; chosen by {@code serde.format}. */
public enum WireFormat {
  /** Confluent's format: magic byte 0, big-endian int schema id, Avro binary; needs a registry. */
  CONFLUENT("confluent"),
  /** Avro single-object encoding: C3 01, 8-byte schema fingerprint, Avro binary; no server. */
  SINGLE_OBJECT("single-object");

  private final String configValue;

  WireFormat(String configValue) {
    this.configValue = configValue;
  }

  /** The value of {@code serde.format} that selects this format. */
  public String configValue() {
    return configValue;
  }

  /** Parses {@code confluent} or {@code single-object} (case-insensitive). */
  public static WireFormat parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (WireFormat f : values()) {
      if (f.configValue.equals(v)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "serde.format=" + value + " is not a wire format; use confluent or single-object");
  }
}
