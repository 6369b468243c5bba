package io.alvlm.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.LabelVote;
import io.alvlm.broker.SchemaRegistryStandIn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The old build of a rolling upgrade: serdes pinned to Label v2 ({@code serde.label.schema-version=2})
 * against this build's v3 (which adds {@code note}), through real Avro bytes in Confluent's wire format
 * and a registry over real HTTP.
 */
class PinnedSchemaTest {
  private static final String TOPIC = "alvlm.labels";
  private SchemaRegistryStandIn registry;
  private AvroSerdes current;
  private AvroSerdes old;

  @BeforeEach
  void start() throws IOException {
    registry = SchemaRegistryStandIn.start();
    current = AvroSerdes.from(registry.serdeConfig());
    old = AvroSerdes.from(ConfluentAvroFormatTest.with(registry.serdeConfig(), SerdeConfig.LABEL_SCHEMA_VERSION, "2"));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void theUpgradeUnderTestIsLabelV2ToV3WithAnOptionalNote() {
    List<Schema> history = RecordTypes.history("Label");
    assertEquals(3, history.size());
    assertTrue(history.get(1).getField("note") == null && history.get(2).getField("note") != null);
    assertEquals(List.of(), SchemaEvolution.backwardProblems(history.get(2), history.get(1)), "v3 reads v2");
    assertEquals(List.of(), SchemaEvolution.backwardProblems(history.get(1), history.get(2)), "v2 reads v3 (forward)");
  }

  @Test
  void anOldWritersLabelIsV2BytesUnderV2sIdAndReadsWithTheDefaultNote() throws IOException {
    Label answer = label("img-1", "blurry");
    byte[] bytes = old.value(Label.class).serializer().serialize(TOPIC, answer);

    Schema v2 = RecordTypes.history("Label").get(1);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(0, bytes[0]);
    assertEquals(registry.put(TOPIC + "-value", v2), id, "written under the id of the v2 schema");
    GenericRecord body = decode(bytes, v2, v2);
    assertNull(body.getSchema().getField("note"));
    assertEquals("img-1", body.get("id").toString());
    assertEquals(2, ((List<?>) body.get("votes")).size());

    Label read = current.value(Label.class).deserializer().deserialize(TOPIC, bytes);
    assertNull(read.getNote(), "v2 has no note: the reader's default");
    assertEquals(withNote(answer, null), read);
  }

  @Test
  void aNewWritersLabelKeepsItsNoteForNewReadersAndAnOldReaderDropsIt() throws IOException {
    Label answer = label("img-2", "two shoes in one picture");
    byte[] bytes = current.value(Label.class).serializer().serialize(TOPIC, answer);

    Schema v3 = RecordTypes.history("Label").get(2);
    assertEquals(registry.put(TOPIC + "-value", RecordTypes.schemaOf(Label.class)), ByteBuffer.wrap(bytes, 1, 4).getInt());
    assertEquals("two shoes in one picture", decode(bytes, v3, v3).get("note").toString());
    assertEquals(answer, current.value(Label.class).deserializer().deserialize(TOPIC, bytes));

    Label seenByOld = old.value(Label.class).deserializer().deserialize(TOPIC, bytes);
    assertNull(seenByOld.getNote(), "the old reader schema has no note");
    assertEquals(withNote(answer, null), seenByOld);
  }

  @Test
  void theOldBuildReadsItsOwnRecordsAndTheRegistryHoldsBothVersions() {
    byte[] v2 = old.value(Label.class).serializer().serialize(TOPIC, label("a", "x"));
    byte[] v3 = current.value(Label.class).serializer().serialize(TOPIC, label("b", "y"));
    assertNotEquals(ByteBuffer.wrap(v2, 1, 4).getInt(), ByteBuffer.wrap(v3, 1, 4).getInt());
    assertEquals(withNote(label("a", "x"), null), old.value(Label.class).deserializer().deserialize(TOPIC, v2));
    assertEquals(2, registry.versions(TOPIC + "-value"), "v2 first, then v3 accepted as BACKWARD compatible");
  }

  @Test
  void countsRecordsBySchemaVersionAndDirection() {
    byte[] v2 = old.value(Label.class).serializer().serialize(TOPIC, label("a", null));
    byte[] v3 = current.value(Label.class).serializer().serialize(TOPIC, label("b", null));
    for (byte[] b : List.of(v2, v2, v3)) {
      current.value(Label.class).deserializer().deserialize(TOPIC, b);
    }
    old.value(Label.class).deserializer().deserialize(TOPIC, v3);
    SchemaVersions c = current.schemaVersions();
    assertEquals(2, c.count(new SchemaVersions.Key("Label", 2, "read")));
    assertEquals(1, c.count(new SchemaVersions.Key("Label", 3, "read")));
    assertEquals(1, c.count(new SchemaVersions.Key("Label", 3, "written")));
    assertEquals(0, c.count(new SchemaVersions.Key("Label", 2, "written")));
    assertEquals(1, old.schemaVersions().count(new SchemaVersions.Key("Label", 2, "written")));
    assertEquals(1, old.schemaVersions().count(new SchemaVersions.Key("Label", 3, "read")), "the writer's version, not the reader's");
  }

  @Test
  void versionOfASchemaIsItsPlaceInTheHistory() {
    List<Schema> history = RecordTypes.history("Label");
    for (int v = 1; v <= history.size(); v++) {
      assertEquals(v, SchemaVersions.versionOf(history.get(v - 1)));
    }
    assertEquals(3, SchemaVersions.versionOf(RecordTypes.schemaOf(Label.class)), "the generated class is the latest");
    assertEquals(0, SchemaVersions.versionOf(SchemaEvolutionTest.edit(history.get(2), "\"fields\": [",
        "\"fields\": [{\"name\": \"extra\", \"type\": \"int\", \"default\": 0, \"doc\": \"x\"},")));
  }

  @Test
  void aPinOutsideTheHistoryOrWithoutARegistryIsRefusedInOneLine() {
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> SerdeConfig.from(ConfluentAvroFormatTest.with(registry.serdeConfig(), SerdeConfig.LABEL_SCHEMA_VERSION, "4")));
    assertEquals("serde.label.schema-version=4: Label has schema versions 1 to 3 (0: this build's)", range.getMessage());
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> SerdeConfig.from(Map.of(SerdeConfig.LABEL_SCHEMA_VERSION, "2")));
    assertTrue(format.getMessage().startsWith("serde.label.schema-version needs serde.format=confluent"), format.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SerdeConfig.from(ConfluentAvroFormatTest.with(registry.serdeConfig(), SerdeConfig.LABEL_SCHEMA_VERSION, "two")));
    assertEquals(Map.of(), SerdeConfig.from(ConfluentAvroFormatTest.with(registry.serdeConfig(), SerdeConfig.LABEL_SCHEMA_VERSION, "0")).pinned());
  }

  @Test
  void theRegistryRefusesALabelThatOldRecordsCannotBeReadWith() {
    current.value(Label.class).serializer().serialize(TOPIC, label("a", null));
    Schema v3 = RecordTypes.history("Label").get(2);
    Schema noDefault = SchemaEvolutionTest.edit(v3, "\"fields\": [",
        "\"fields\": [{\"name\": \"confidence\", \"type\": \"double\", \"doc\": \"x\"},");
    SchemaRegistryClient client = new SchemaRegistryClient(SerdeConfig.from(registry.serdeConfig()));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.register(TOPIC + "-value", noDefault));
    assertEquals(409, e.httpStatus());
    assertTrue(e.getMessage().contains("confidence"), e.getMessage());
    Schema withDefault = SchemaEvolutionTest.edit(v3, "\"fields\": [",
        "\"fields\": [{\"name\": \"confidence\", \"type\": \"double\", \"default\": 1.0, \"doc\": \"x\"},");
    assertTrue(client.register(TOPIC + "-value", withDefault) > 0);
  }

  private static Label label(String id, String note) {
    List<LabelVote> votes = List.of(LabelVote.newBuilder().setAnnotator("a").setOutcome(LabelOutcome.LABELED).setClassName("cat").build(),
        LabelVote.newBuilder().setAnnotator("b").setOutcome(LabelOutcome.NONE_OF_THESE).build());
    return Label.newBuilder(SampleRecords.label(id)).setVotes(votes).setAgreement(0.5).setTimeSpentMs(1234).setCorrection(true)
        .setNote(note).build();
  }

  private static Label withNote(Label l, String note) {
    return Label.newBuilder(l).setNote(note).build();
  }

  private static GenericRecord decode(byte[] confluent, Schema writer, Schema reader) throws IOException {
    byte[] body = Arrays.copyOfRange(confluent, 5, confluent.length);
    BinaryDecoder in = DecoderFactory.get().binaryDecoder(body, null);
    GenericRecord r = new GenericDatumReader<GenericRecord>(writer, reader).read(null, in);
    assertTrue(in.isEnd(), "the body is exactly one record of the writer schema");
    return r;
  }
}
