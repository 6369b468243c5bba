package io.alvlm.stream;

import io.alvlm.serde.SchemaVersions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code alvlm_serde_records_total{record,schema_version,direction}}: records an instance wrote and read
 * with the registry's wire format, by record type and schema version ({@link SchemaVersions}). During a
 * rolling upgrade it shows that a role read both the old and the new version of a record.
 */
public final class SchemaVersionMeters {
  private SchemaVersionMeters() {}

  public static void bind(MeterRegistry registry, SchemaVersions versions) {
    versions.onKind(k -> FunctionCounter.builder("alvlm.serde.records", versions, v -> v.count(k))
        .description("Records written and read, by record type and schema version (0: a schema in no history of this build)")
        .tag("record", k.record()).tag("schema_version", Integer.toString(k.version())).tag("direction", k.direction())
        .register(registry));
  }
}
