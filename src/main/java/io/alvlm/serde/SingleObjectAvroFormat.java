package io.alvlm.serde;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding for one record class: bytes C3 01, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. No server: the decoder
 * knows the current schema and every version under {@code schemas/history/<Name>/}, so records
 * written by older builds still decode into the current class.
 */
public final class SingleObjectAvroFormat<T extends SpecificRecord> implements Serializer<T>, Deserializer<T> {
  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /** A format that knows the class's schema plus {@link RecordTypes#history} of it. */
  public SingleObjectAvroFormat(Class<T> type) {
    this(type, RecordTypes.history(RecordTypes.schemaOf(type).getName()));
  }

  /** A format whose decoder also knows {@code olderSchemas} (writer schemas of past versions). */
  public SingleObjectAvroFormat(Class<T> type, List<Schema> olderSchemas) {
    this.type = Objects.requireNonNull(type, "type");
    RecordTypes.trustGeneratedClasses();
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = RecordTypes.schemaOf(type);
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(schema);
    olderSchemas.forEach(store::addSchema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    olderSchemas.forEach(decoder::addSchema);
  }

  /** The fingerprint written in front of each record of this class (CRC-64-AVRO, as a long). */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(RecordTypes.schemaOf(type));
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    try {
      return encoder.encode(record).array();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + type.getSimpleName() + " to topic " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException(topic, "unknown-schema", "no " + type.getSimpleName()
          + " schema with this fingerprint is known (current or schemas/history); written by a newer"
          + " build or another record type? " + e.getMessage(), e);
    } catch (BadHeaderException e) {
      boolean magicOk = (data.length < 1 || data[0] == (byte) 0xC3) && (data.length < 2 || data[1] == 1);
      throw new RecordDecodingException(topic, magicOk ? "truncated" : "bad-magic",
          "not Avro single-object encoding (" + data.length + " bytes): " + e.getMessage()
              + "; was it written by another serde (serde.format)?", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
      String reason = e instanceof java.io.EOFException || e.getCause() instanceof java.io.EOFException
          ? "truncated" : "malformed-record";
      throw new RecordDecodingException(topic, reason,
          "cannot read " + type.getSimpleName() + " (" + data.length + " bytes): " + e, e);
    }
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure: the schemas come with the class
  }

  @Override
  public void close() {
    // holds no resources
  }
}
