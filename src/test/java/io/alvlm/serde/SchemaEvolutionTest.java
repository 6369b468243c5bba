package io.alvlm.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
  private static final Path SCHEMAS = Path.of("schemas");

  @Test
  void everySchemaFileHasARecordClassAndAHistory() throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(SCHEMAS)) {
      s.filter(p -> p.toString().endsWith(".avsc")).forEach(p -> files.add(p.getFileName().toString()));
    }
    List<String> classes = RecordTypes.all().stream().map(c -> c.getSimpleName() + ".avsc").sorted().toList();
    assertEquals(classes, files.stream().sorted().toList());
    for (Class<? extends SpecificRecord> c : RecordTypes.all()) {
      assertFalse(RecordTypes.history(c.getSimpleName()).isEmpty(), c.getSimpleName() + " has no schemas/history/*/v1.avsc");
    }
  }

  @Test
  void historyVersionsAreNumberedWithoutGaps() throws IOException {
    for (Class<? extends SpecificRecord> c : RecordTypes.all()) {
      int onClasspath = RecordTypes.history(c.getSimpleName()).size();
      try (Stream<Path> s = Files.list(SCHEMAS.resolve("history").resolve(c.getSimpleName()))) {
        assertEquals(s.count(), onClasspath, c.getSimpleName() + ": history files must be v1.avsc, v2.avsc, ... without gaps");
      }
    }
  }

  @Test
  void everySchemaReadsEveryEarlierVersion() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path file : schemaFiles()) {
      Schema current = new Schema.Parser().parse(file.toFile());
      problems.addAll(SchemaEvolution.backwardProblems(current, RecordTypes.history(current.getName())));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void generatedClassesMatchTheSchemaFiles() throws IOException {
    for (Class<? extends SpecificRecord> c : RecordTypes.all()) {
      Schema file = new Schema.Parser().parse(SCHEMAS.resolve(c.getSimpleName() + ".avsc").toFile());
      // the generated class adds avro.java.string properties; the parsing form ignores them
      assertEquals(SchemaNormalization.parsingFingerprint64(file),
          SchemaNormalization.parsingFingerprint64(RecordTypes.schemaOf(c)), c.getSimpleName());
    }
  }

  @Test
  void everyFieldHasADoc() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path file : schemaFiles()) {
      missing.addAll(SchemaEvolution.fieldsWithoutDoc(new Schema.Parser().parse(file.toFile())));
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void catchesANewFieldWithoutDefault() {
    Schema v1 = RecordTypes.history("Label").get(0);
    Schema edited = edit(v1, "\"fields\": [", "\"fields\": [{\"name\": \"confidence\", \"type\": \"double\", \"doc\": \"x\"},");
    List<String> problems = SchemaEvolution.backwardProblems(edited, List.of(v1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE") && problems.get(0).contains("confidence"), problems.get(0));
  }

  @Test
  void catchesAChangedFieldType() {
    Schema v1 = RecordTypes.history("QueryRound").get(0);
    Schema edited = edit(v1, "\"name\": \"budget\", \"type\": \"int\"", "\"name\": \"budget\", \"type\": \"string\"");
    List<String> problems = SchemaEvolution.backwardProblems(edited, List.of(v1));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("TYPE_MISMATCH") && problems.get(0).contains("budget"), problems.get(0));
  }

  @Test
  void catchesARemovedEnumSymbol() {
    Schema v1 = RecordTypes.history("Label").get(0);
    Schema edited = edit(v1, "\"SKIPPED\", ", "");
    assertTrue(SchemaEvolution.backwardProblems(edited, List.of(v1)).get(0).contains("SKIPPED"));
  }

  @Test
  void acceptsANewFieldWithDefault() {
    Schema v1 = RecordTypes.history("Label").get(0);
    Schema edited = edit(v1, "\"fields\": [",
        "\"fields\": [{\"name\": \"confidence\", \"type\": \"double\", \"default\": 1.0, \"doc\": \"x\"},");
    assertEquals(List.of(), SchemaEvolution.backwardProblems(edited, List.of(v1)));
  }

  @Test
  void findsAFieldWithoutDoc() {
    Schema v1 = RecordTypes.history("Label").get(0);
    Schema edited = edit(v1, "\"fields\": [", "\"fields\": [{\"name\": \"note\", \"type\": \"string\", \"default\": \"\"},");
    assertEquals(List.of("Label.note"), SchemaEvolution.fieldsWithoutDoc(edited));
  }

  @Test
  void annotationRequestsReasonIsACompatibleAddition() throws IOException {
    List<Schema> history = RecordTypes.history("AnnotationRequest");
    Schema v1 = history.get(0);
    Schema current = RecordTypes.schemaOf(io.alvlm.avro.AnnotationRequest.class);
    assertEquals(List.of(), SchemaEvolution.backwardProblems(current, v1), "the current schema reads v1 records");
    assertEquals(List.of(), SchemaEvolution.backwardProblems(v1, current), "a v1 reader (an old workbench) reads current records");
    assertTrue(v1.getField("reason") == null && current.getField("reason") != null, "the change under test is the reason field");

    // a v1 record, written before the field existed, reads back as an ordinary pick
    org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
    for (Schema.Field f : v1.getFields()) {
      old.put(f.name(), f.hasDefaultValue() ? org.apache.avro.generic.GenericData.get().getDefaultValue(f) : null);
    }
    old.put("queryId", "q");
    old.put("round", 3L);
    old.put("id", "img");
    old.put("modelVersion", 1L);
    old.put("createdAt", 5L);
    old.put("deadline", 6L);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
    new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(v1).write(old, enc);
    enc.flush();
    org.apache.avro.generic.GenericRecord read = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
        v1, current).read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertEquals("uncertain", String.valueOf(read.get("reason")));
    assertEquals("img", String.valueOf(read.get("id")));
  }

  /** A textual edit of a schema, failing loudly if the edit did not apply. */
  static Schema edit(Schema schema, String from, String to) {
    String text = schema.toString(true).replaceAll("\\s*\n\\s*", " ").replace(" : ", ": ");
    assertTrue(text.contains(from), "edit target not found: " + from + " in " + text);
    return new Schema.Parser().parse(text.replace(from, to));
  }

  private static List<Path> schemaFiles() throws IOException {
    try (Stream<Path> s = Files.list(SCHEMAS)) {
      return s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}
