package io.alvlm.serde;

import java.util.Arrays;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Which registry subject a record's schema goes under ({@code schema.registry.subject.name.strategy}),
 * with the meaning of Confluent's serializer strategies of the same names. Keys and values alike.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one record type per topic (Confluent's default). */
  TOPIC("topic", "TopicNameStrategy"),
  /** The record's full name, e.g. {@code io.alvlm.avro.Label}: one subject per type across topics. */
  RECORD("record", "RecordNameStrategy"),
  /** {@code <topic>-<record full name>}: several record types per topic, versioned per topic. */
  TOPIC_RECORD("topic-record", "TopicRecordNameStrategy");

  public static final String KEY = "schema.registry.subject.name.strategy";
  private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

  private final String configValue;
  private final String confluentClass;

  SubjectNameStrategy(String configValue, String confluentClass) {
    this.configValue = configValue;
    this.confluentClass = confluentClass;
  }

  public String configValue() {
    return configValue;
  }

  /** The subject for a record of {@code schema} written to {@code topic} as key or value. */
  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + (isKey ? "-key" : "-value");
      case RECORD -> schema.getFullName();
      case TOPIC_RECORD -> topic + "-" + schema.getFullName();
    };
  }

  /** {@code topic}, {@code record} or {@code topic-record}; Confluent's class names are accepted too. */
  public static SubjectNameStrategy parse(String value) {
    String v = value.trim();
    for (SubjectNameStrategy s : values()) {
      if (s.configValue.equals(v.toLowerCase(Locale.ROOT)) || v.equals(s.confluentClass)
          || v.equals(CONFLUENT_PACKAGE + s.confluentClass)) {
        return s;
      }
    }
    throw new IllegalArgumentException(KEY + "=" + value + " is not one of "
        + Arrays.stream(values()).map(SubjectNameStrategy::configValue).toList()
        + " (or Confluent's TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy)");
  }
}
