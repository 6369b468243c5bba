package io.alvlm.serde;

import io.alvlm.broker.SchemaRegistryStandIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Confluent wire format against a registry over real HTTP ({@link SchemaRegistryStandIn}). */
class ConfluentAvroFormatTest {
  private SchemaRegistryStandIn registry;
  private AvroSerdes serdes;

  @BeforeEach
  void start() throws IOException {
    registry = SchemaRegistryStandIn.start();
    serdes = AvroSerdes.from(registry.serdeConfig());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void roundTripsEveryRecordType() {
    for (SpecificRecord record : SampleRecords.all()) {
      assertEquals(record, roundTrip(record), record.getClass().getSimpleName());
    }
  }

  @Test
  void writesMagicByteAndTheIdRegisteredUnderTopicValue() {
    byte[] bytes = serdes.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a"));
    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(id, registry.put("alvlm.labels-value", RecordTypes.schemaOf(Label.class)));
  }

  @Test
  void keySerdesRegisterUnderTopicKey() {
    byte[] bytes = serdes.key(Label.class).serializer().serialize("alvlm.x", SampleRecords.label("a"));
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    SchemaRegistryClient client = new SchemaRegistryClient(SerdeConfig.from(
        with(registry.serdeConfig(), SerdeConfig.AUTO_REGISTER, "false")));
    assertEquals(id, client.idFor("alvlm.x-key", RecordTypes.schemaOf(Label.class)));
    assertThrows(SchemaRegistryException.class, () -> client.idFor("alvlm.x-value", RecordTypes.schemaOf(Label.class)));
  }

  @Test
  void namesSubjectsAsConfluentsStrategiesDoForKeysAndValues() {
    Map<String, String> expected = Map.of("topic", "[alvlm.x-key, alvlm.x-value]",
        "record", "[io.alvlm.avro.Label]",
        "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", "[alvlm.x-io.alvlm.avro.Label]");
    expected.forEach((strategy, subjects) -> {
      try (SchemaRegistryStandIn r = SchemaRegistryStandIn.start()) {
        AvroSerdes s = AvroSerdes.from(with(r.serdeConfig(), SubjectNameStrategy.KEY, strategy));
        Label label = SampleRecords.label("a");
        assertEquals(label, s.key(Label.class).deserializer().deserialize("alvlm.x",
            s.key(Label.class).serializer().serialize("alvlm.x", label)));
        assertEquals(label, s.value(Label.class).deserializer().deserialize("alvlm.x",
            s.value(Label.class).serializer().serialize("alvlm.x", label)));
        assertEquals(subjects, r.subjects().toString(), strategy);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SubjectNameStrategy.parse("by-type"))
        .getMessage().contains("topic-record"));
  }

  @Test
  void asksTheRegistryOncePerSchemaAndOncePerId() {
    Serde<Label> serde = serdes.value(Label.class);
    byte[] bytes = serde.serializer().serialize("alvlm.labels", SampleRecords.label("a"));
    serde.serializer().serialize("alvlm.labels", SampleRecords.label("b"));
    assertEquals(1, registry.calls("POST /subjects/versions"));

    Serde<Label> reader = AvroSerdes.from(registry.serdeConfig()).value(Label.class);
    reader.deserializer().deserialize("alvlm.labels", bytes);
    reader.deserializer().deserialize("alvlm.labels", bytes);
    assertEquals(1, registry.calls("GET /schemas/ids"));
  }

  @Test
  void readsARecordWrittenWithAnOlderSchema() throws IOException {
    Schema old = labelBeforeOutcome();
    int oldId = registry.put("alvlm.labels-value", old);

    Label read = serdes.value(Label.class).deserializer().deserialize("alvlm.labels", confluentBytes(oldId, old,
        oldLabel(old, "img-3")));
    assertEquals("img-3", read.getId());
    assertEquals(LabelOutcome.LABELED, read.getOutcome());
  }

  @Test
  void refusesAnIncompatibleSchemaBeforeRegistering() {
    Schema incompatible = SchemaEvolutionTest.edit(RecordTypes.schemaOf(Label.class),
        "\"name\": \"annotator\", \"type\": { \"type\": \"string\", \"avro.java.string\": \"String\" }",
        "\"name\": \"annotator\", \"type\": \"int\"");
    registry.put("alvlm.labels-value", incompatible);

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> serdes.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a")));
    assertEquals(409, e.errorCode());
    assertTrue(e.getMessage().contains("alvlm.labels-value"), e.getMessage());
    assertEquals(1, registry.calls("POST /compatibility"));
    assertEquals(0, registry.calls("POST /subjects/versions"));
  }

  @Test
  void reportsTheRegistrysConflictWhenRegisteringDirectly() {
    Schema incompatible = SchemaEvolutionTest.edit(RecordTypes.schemaOf(Label.class),
        "\"name\": \"annotator\", \"type\": { \"type\": \"string\", \"avro.java.string\": \"String\" }",
        "\"name\": \"annotator\", \"type\": \"int\"");
    registry.put("s-value", incompatible);
    SchemaRegistryClient client = new SchemaRegistryClient(SerdeConfig.from(registry.serdeConfig()));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> client.register("s-value", RecordTypes.schemaOf(Label.class)));
    assertEquals(409, e.httpStatus());
    assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownSchemaIdNamingTheTopic() {
    byte[] bytes = {0, 0, 0, 3, (byte) 0xE7, 2, 'a'};
    RecordDecodingException e = assertThrows(RecordDecodingException.class,
        () -> serdes.value(Label.class).deserializer().deserialize("alvlm.labels", bytes));
    assertEquals("unknown-schema", e.reason());
    assertTrue(e.getMessage().contains("alvlm.labels") && e.getMessage().contains("999")
        && e.getMessage().contains("40403"), e.getMessage());
  }

  @Test
  void rejectsWrongMagicAndTruncatedBytes() {
    Serde<Label> serde = serdes.value(Label.class);
    byte[] bytes = serde.serializer().serialize("alvlm.labels", SampleRecords.label("a"));
    byte[] other = bytes.clone();
    other[0] = (byte) 0xC3;
    assertEquals("bad-magic", assertThrows(RecordDecodingException.class,
        () -> serde.deserializer().deserialize("alvlm.labels", other)).reason());
    for (int len : new int[] {0, 4, 6, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, len);
      RecordDecodingException e = assertThrows(RecordDecodingException.class,
          () -> serde.deserializer().deserialize("alvlm.labels", cut), "length " + len);
      assertEquals("truncated", e.reason(), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertEquals("malformed-record", assertThrows(RecordDecodingException.class,
        () -> serde.deserializer().deserialize("alvlm.labels", longer)).reason());
  }

  @Test
  void explainsWrongCredentials() {
    AvroSerdes wrong = AvroSerdes.from(with(registry.serdeConfig(), SerdeConfig.BASIC_AUTH_USER_INFO, "alvlm:nope"));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> wrong.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a")));
    assertEquals(401, e.httpStatus());
    assertTrue(e.getMessage().contains(SerdeConfig.BASIC_AUTH_USER_INFO), e.getMessage());
  }

  @Test
  void explainsAnUnreachableRegistry() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AvroSerdes down = AvroSerdes.from(Map.of(SerdeConfig.FORMAT, "confluent",
        SerdeConfig.REGISTRY_URL, "http://127.0.0.1:" + port, RegistryRetry.DEADLINE_MS, "200"));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> down.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a")));
    assertEquals(-1, e.httpStatus());
    assertTrue(e.outage());
    assertTrue(e.getMessage().contains(SerdeConfig.REGISTRY_URL), e.getMessage());
  }

  @Test
  void refusesToRegisterWhenAutoRegisterIsOff() {
    AvroSerdes strict = AvroSerdes.from(with(registry.serdeConfig(), SerdeConfig.AUTO_REGISTER, "false"));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> strict.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a")));
    assertTrue(e.getMessage().contains("register it first"), e.getMessage());
    registry.put("alvlm.labels-value", RecordTypes.schemaOf(Label.class));
    Label back = strict.value(Label.class).deserializer().deserialize("alvlm.labels",
        strict.value(Label.class).serializer().serialize("alvlm.labels", SampleRecords.label("a")));
    assertEquals(SampleRecords.label("a"), back);
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> T roundTrip(T record) {
    Serde<T> serde = serdes.value((Class<T>) record.getClass());
    // one record type per topic: the subject <topic>-value holds versions of one schema
    String topic = "alvlm.test." + record.getClass().getSimpleName();
    return serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record));
  }

  /** Label as first released less its {@code outcome} field: a writer older than the reader. */
  static Schema labelBeforeOutcome() {
    Schema v1 = RecordTypes.history("Label").get(0);
    List<Schema.Field> withoutOutcome = v1.getFields().stream()
        .filter(f -> !f.name().equals("outcome")).map(f -> new Schema.Field(f, f.schema())).toList();
    return Schema.createRecord("Label", null, "io.alvlm.avro", false, withoutOutcome);
  }

  /** A label of {@link #labelBeforeOutcome()}. */
  static GenericRecord oldLabel(Schema old, String id) {
    GenericRecord r = new GenericData.Record(old);
    r.put("id", id);
    r.put("className", "cat");
    r.put("annotator", "ann");
    r.put("labeledAt", 9L);
    return r;
  }

  static byte[] confluentBytes(int id, Schema schema, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }

  static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
