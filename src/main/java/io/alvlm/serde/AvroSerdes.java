package io.alvlm.serde;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place serdes for alvlm's Avro records come from. The wire format is chosen by
 * {@code serde.format} ({@link SerdeConfig}); with {@code confluent} all serdes of a factory share
 * one {@link SchemaRegistryClient} and its caches.
 */
public final class AvroSerdes {
  /**
   * A config key whose value may be an {@code AvroSerdes} instance: {@link #from} then returns it, so
   * the handlers Kafka Streams instantiates from its config share the service's registry client,
   * caches and health.
   */
  public static final String SHARED = "alvlm.serdes.shared";

  private final SerdeConfig config;
  private final Optional<SchemaRegistryClient> registry;
  private final SchemaVersions versions = new SchemaVersions();

  public AvroSerdes(SerdeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = config.format() == WireFormat.CONFLUENT
        ? Optional.of(new SchemaRegistryClient(config)) : Optional.empty();
  }

  /** A factory from a flat config map (see {@link SerdeConfig#from}), or the instance under {@link #SHARED}. */
  public static AvroSerdes from(Map<String, ?> config) {
    if (config.get(SHARED) instanceof AvroSerdes shared) {
      return shared;
    }
    return new AvroSerdes(SerdeConfig.from(config));
  }

  /** What the registry client has seen of the registry; empty without one ({@code single-object}). */
  public Optional<RegistryHealth> registryHealth() {
    return registry.map(SchemaRegistryClient::health);
  }

  /** With a registry: fails within {@code wait}, naming its address, when it does not answer. */
  public void probeRegistry(java.time.Duration wait) {
    registry.ifPresent(r -> r.probe(wait));
  }

  /**
   * With a registry: reads every version of the subject of {@code type} on {@code topic} into the
   * client's caches and, when this instance {@code writes} such records, finds (or registers) the id of
   * its own schema, so that no record of that subject needs a registry call later. Without a registry
   * nothing happens. Fails, as each call does, when the registry does not answer in time.
   */
  public <T extends SpecificRecord> void warm(String topic, Class<T> type, boolean writes) {
    if (registry.isEmpty()) {
      return;
    }
    SchemaRegistryClient client = registry.get();
    org.apache.avro.Schema schema = writerSchema(type);
    String subject = client.subjectStrategy().subject(topic, false, schema);
    client.prefetch(subject);
    if (writes) {
      client.idFor(subject, schema);
    }
  }

  /** The schema this instance writes {@code type} with: this build's, or the version {@link SerdeConfig#pinned} names. */
  public org.apache.avro.Schema writerSchema(Class<? extends SpecificRecord> type) {
    org.apache.avro.Schema current = RecordTypes.schemaOf(type);
    return config.pinnedVersion(current.getName()).map(v -> RecordTypes.history(current.getName()).get(v - 1)).orElse(current);
  }

  /** Records written and read through this factory's serdes, by record type and schema version. */
  public SchemaVersions schemaVersions() {
    return versions;
  }

  /** The embedded default: single-object encoding, no registry. */
  public static AvroSerdes singleObject() {
    return new AvroSerdes(SerdeConfig.singleObject());
  }

  public SerdeConfig config() {
    return config;
  }

  /** A serde for record values of {@code type} (registry subject by {@link SubjectNameStrategy}: {@code <topic>-value} by default). */
  public <T extends SpecificRecord> Serde<T> value(Class<T> type) {
    return serde(type, false);
  }

  /** A serde for record keys of {@code type} (registry subject by {@link SubjectNameStrategy}: {@code <topic>-key} by default). */
  public <T extends SpecificRecord> Serde<T> key(Class<T> type) {
    return serde(type, true);
  }

  private <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
    Objects.requireNonNull(type, "type");
    if (registry.isPresent()) {
      String name = RecordTypes.schemaOf(type).getName();
      PinnedSchema<T> pin = config.pinnedVersion(name).map(v -> new PinnedSchema<>(type, v)).orElse(null);
      ConfluentAvroFormat<T> f = new ConfluentAvroFormat<>(type, registry.get(), isKey, pin, versions);
      return Serdes.serdeFrom(f, f);
    }
    SingleObjectAvroFormat<T> f = new SingleObjectAvroFormat<>(type);
    return Serdes.serdeFrom(f, f);
  }
}
