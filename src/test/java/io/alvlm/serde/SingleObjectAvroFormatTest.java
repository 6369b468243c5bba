package io.alvlm.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.QueryRound;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectAvroFormatTest {
  private final AvroSerdes serdes = AvroSerdes.singleObject();

  @Test
  void roundTripsEveryRecordType() {
    for (SpecificRecord record : SampleRecords.all()) {
      assertEquals(record, roundTrip(record), record.getClass().getSimpleName());
    }
  }

  @Test
  void writesTheSingleObjectHeaderWithTheSchemaFingerprint() {
    byte[] bytes = serdes.value(Label.class).serializer().serialize("t", SampleRecords.label("a"));
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long fp = new SingleObjectAvroFormat<>(Label.class).fingerprint();
    for (int i = 0; i < 8; i++) {
      assertEquals((byte) (fp >>> (8 * i)), bytes[2 + i], "little-endian fingerprint byte " + i);
    }
  }

  @Test
  void passesNullThroughForTombstones() {
    Serde<Label> serde = serdes.value(Label.class);
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void readsARecordWrittenWithAnOlderVersion() {
    // an "old build" wrote Label v0: without the outcome field; the reader fills its default
    Schema current = RecordTypes.history("Label").get(0); // v1: Label as first released
    Schema old = SchemaEvolutionTest.edit(current, "{ \"name\": \"outcome\"", "{ \"name\": \"dropped\"");
    old = dropField(old, "dropped");
    GenericRecord r = new GenericData.Record(old);
    r.put("id", "img-9");
    r.put("className", "dog");
    r.put("annotator", "ann");
    r.put("queryId", null);
    r.put("labeledAt", 5L);
    byte[] bytes = encode(old, r);

    Label read = new SingleObjectAvroFormat<>(Label.class, List.of(old)).deserialize("alvlm.labels", bytes);
    assertEquals("img-9", read.getId());
    assertEquals(LabelOutcome.LABELED, read.getOutcome());
    assertEquals("dog", read.getClassName());
  }

  @Test
  void readsRecordsOfEveryHistoryVersion() {
    for (SpecificRecord sample : SampleRecords.all()) {
      List<Schema> history = RecordTypes.history(sample.getSchema().getName());
      Schema v1 = history.get(0);
      GenericRecord asV1 = (GenericRecord) GenericData.get().deepCopy(v1, toGeneric(sample));
      Object read = new SingleObjectAvroFormat<>(sample.getClass()).deserialize("t", encode(v1, asV1));
      assertEquals(sample, read, sample.getSchema().getName());
    }
  }

  @Test
  void rejectsAnUnknownFingerprintNamingTheTopic() {
    byte[] bytes = serdes.value(QueryRound.class).serializer().serialize("t", SampleRecords.round());
    RecordDecodingException e = assertThrows(RecordDecodingException.class,
        () -> serdes.value(Label.class).deserializer().deserialize("alvlm.labels", bytes));
    assertEquals("unknown-schema", e.reason());
    assertEquals("alvlm.labels", e.topic());
    assertTrue(e.getMessage().contains("alvlm.labels"), e.getMessage());
  }

  @Test
  void rejectsTruncatedBytes() {
    byte[] bytes = serdes.value(Label.class).serializer().serialize("t", SampleRecords.label("img-1"));
    for (int len : new int[] {1, 5, 10, 12, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, len);
      RecordDecodingException e = assertThrows(RecordDecodingException.class,
          () -> serdes.value(Label.class).deserializer().deserialize("alvlm.labels", cut), "length " + len);
      assertEquals("truncated", e.reason(), "length " + len + ": " + e.getMessage());
    }
  }

  @Test
  void rejectsWrongMagic() {
    byte[] bytes = serdes.value(Label.class).serializer().serialize("t", SampleRecords.label("img-1"));
    bytes[0] = 0; // what a Confluent-format record starts with
    RecordDecodingException e = assertThrows(RecordDecodingException.class,
        () -> serdes.value(Label.class).deserializer().deserialize("alvlm.labels", bytes));
    assertEquals("bad-magic", e.reason());
    assertTrue(e.getMessage().contains("serde.format"), e.getMessage());
  }

  @Test
  void rejectsCorruptBody() {
    byte[] bytes = serdes.value(Label.class).serializer().serialize("t", SampleRecords.label("img-1"));
    bytes[10] = (byte) 0x7f; // string length of the id becomes -64
    assertThrows(RecordDecodingException.class,
        () -> serdes.value(Label.class).deserializer().deserialize("alvlm.labels", bytes));
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> T roundTrip(T record) {
    Serde<T> serde = serdes.value((Class<T>) record.getClass());
    byte[] bytes = serde.serializer().serialize("alvlm.test", record);
    assertArrayEquals(bytes, serde.serializer().serialize("alvlm.test", record));
    return serde.deserializer().deserialize("alvlm.test", bytes);
  }

  static byte[] encode(Schema schema, GenericRecord r) {
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r).array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static GenericRecord toGeneric(SpecificRecord r) {
    byte[] bytes = new SingleObjectAvroFormat<>(r.getClass()).serialize("t", cast(r));
    try {
      return new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(GenericData.get(), r.getSchema())
          .decode(bytes, null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T cast(SpecificRecord r) {
    return (T) r;
  }

  private static Schema dropField(Schema s, String name) {
    List<Schema.Field> kept = s.getFields().stream().filter(f -> !f.name().equals(name))
        .map(f -> new Schema.Field(f, f.schema())).toList();
    return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, kept);
  }
}
