package io.alvlm.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Confluent's wire format for one record class: byte 0 (magic 0), bytes 1-4 the schema id
 * (big-endian int) under the subject that {@code schema.registry.subject.name.strategy} names
 * ({@code <topic>-value} or {@code <topic>-key} by default), then the Avro binary
 * body. Reading fetches the writer schema by id and resolves it against the class's schema, so
 * records written with an older compatible schema decode into the current class. With a
 * {@link PinnedSchema} it writes and reads as the build of that earlier version would. Every record
 * written and read is counted by its schema version ({@link SchemaVersions}).
 */
public final class ConfluentAvroFormat<T extends SpecificRecord> implements Serializer<T>, Deserializer<T> {
  static final byte MAGIC = 0;
  private static final int HEADER = 5;

  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final SchemaRegistryClient registry;
  private final boolean isKey;
  private final SpecificDatumWriter<T> writer;
  private final PinnedSchema<T> pinned;
  private final Schema writerSchema;
  private final int writerVersion;
  private final SchemaVersions versions;
  private final Map<Integer, Reader<T>> readers = new ConcurrentHashMap<>();

  /** How records of one writer schema id are read, and that schema's version. */
  private record Reader<T>(PinnedSchema.Reading<T> reading, int version) {}

  public ConfluentAvroFormat(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
    this(type, registry, isKey, null, new SchemaVersions());
  }

  /**
   * @param pinned the earlier schema version this instance writes and reads with, or null for this build's
   * @param versions where records written and read are counted by schema version
   */
  ConfluentAvroFormat(Class<T> type, SchemaRegistryClient registry, boolean isKey, PinnedSchema<T> pinned,
      SchemaVersions versions) {
    this.type = Objects.requireNonNull(type, "type");
    RecordTypes.trustGeneratedClasses();
    this.registry = Objects.requireNonNull(registry, "registry");
    this.isKey = isKey;
    this.model = SpecificData.getForClass(type);
    this.schema = RecordTypes.schemaOf(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.pinned = pinned;
    this.writerSchema = pinned == null ? schema : pinned.schema();
    this.writerVersion = SchemaVersions.versionOf(writerSchema);
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id = registry.idFor(registry.subjectStrategy().subject(topic, isKey, writerSchema), writerSchema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    try {
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      if (pinned == null) {
        writer.write(record, enc);
      } else {
        pinned.write(record, enc);
      }
      enc.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + type.getSimpleName() + " to topic " + topic + ": " + e.getMessage(), e);
    }
    versions.written(schema.getName(), writerVersion);
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < HEADER) {
      throw new RecordDecodingException(topic, "truncated",
          data.length + " bytes, shorter than the 5-byte Confluent header", null);
    }
    if (data[0] != MAGIC) {
      throw new RecordDecodingException(topic, "bad-magic", String.format(
          "first byte is 0x%02x, not the Confluent magic byte 0; was it written by another serde"
              + " (serde.format)?", data[0]), null);
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    Reader<T> reader;
    try {
      reader = readers.computeIfAbsent(id, i -> reader(registry.schemaById(i)));
    } catch (SchemaRegistryException e) {
      if (e.outage() || e.errorCode() != 40403) {
        // the registry is down or refused us: the record may be fine, so this is not a bad record
        throw e;
      }
      throw new RecordDecodingException(topic, "unknown-schema",
          "schema id " + id + " for " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    try {
      BinaryDecoder dec = DecoderFactory.get().binaryDecoder(data, HEADER, data.length - HEADER, null);
      T record = reader.reading().read(dec);
      if (!dec.isEnd()) {
        throw new RecordDecodingException(topic, "malformed-record",
            "bytes left over after a " + type.getSimpleName() + " written with schema id " + id, null);
      }
      versions.read(schema.getName(), reader.version());
      return record;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
      String reason = e instanceof java.io.EOFException ? "truncated" : "malformed-record";
      throw new RecordDecodingException(topic, reason, "cannot read " + type.getSimpleName()
          + " written with schema id " + id + ": " + e, e);
    }
  }

  private Reader<T> reader(Schema writerOfRecord) {
    int version = SchemaVersions.versionOf(writerOfRecord);
    if (pinned != null) {
      return new Reader<>(pinned.reader(writerOfRecord), version);
    }
    SpecificDatumReader<T> r = new SpecificDatumReader<>(writerOfRecord, schema, model);
    return new Reader<>(in -> r.read(null, in), version);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // configured at construction by AvroSerdes
  }

  @Override
  public void close() {
    // the registry client is shared and owns no resources that need closing
  }
}
