package io.alvlm.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The schema-evolution rule of alvlm, in one place: a new schema must be <em>backward</em>
 * compatible, i.e. able to read every record written with any earlier version; and every field
 * carries a {@code doc}. The build's tests, the test registry and any tooling use this same check.
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /**
   * Why {@code newer} cannot read data written with {@code older}, one line per problem (Avro's
   * {@link SchemaCompatibility} with the new schema as reader); empty when it can.
   */
  public static List<String> backwardProblems(Schema newer, Schema older) {
    Objects.requireNonNull(newer, "newer");
    Objects.requireNonNull(older, "older");
    SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(newer, older);
    List<String> problems = new ArrayList<>();
    for (Incompatibility i : pair.getResult().getIncompatibilities()) {
      problems.add(
          newer.getFullName() + ": " + i.getType() + " at " + i.getLocation()
              + fieldPath(newer, i.getLocation()) + ": " + i.getMessage());
    }
    return problems;
  }

  /** Problems reading each of {@code olderVersions} with {@code newer}, prefixed by "vN". */
  public static List<String> backwardProblems(Schema newer, List<Schema> olderVersions) {
    List<String> problems = new ArrayList<>();
    for (int v = 0; v < olderVersions.size(); v++) {
      for (String p : backwardProblems(newer, olderVersions.get(v))) {
        problems.add("v" + (v + 1) + " -> current: " + p);
      }
    }
    return problems;
  }

  /** The field names along an incompatibility's JSON-pointer location, e.g. " (field budget)". */
  private static String fieldPath(Schema reader, String location) {
    List<String> names = new ArrayList<>();
    Schema s = reader;
    String[] parts = location.split("/");
    for (int k = 0; k < parts.length - 1 && s != null; k++) {
      if (parts[k].equals("fields") && s.getType() == Schema.Type.RECORD && parts[k + 1].matches("\\d+")) {
        int index = Integer.parseInt(parts[k + 1]);
        if (index >= s.getFields().size()) {
          break;
        }
        Schema.Field f = s.getFields().get(index);
        names.add(f.name());
        s = f.schema();
      }
    }
    return names.isEmpty() ? "" : " (field " + String.join(".", names) + ")";
  }

  /** Fully qualified names ({@code Record.field}) of fields without a doc, nested records included. */
  public static List<String> fieldsWithoutDoc(Schema schema) {
    List<String> missing = new ArrayList<>();
    collectUndocumented(schema, new ArrayList<>(), missing);
    return missing;
  }

  private static void collectUndocumented(Schema s, List<String> seen, List<String> missing) {
    switch (s.getType()) {
      case RECORD -> {
        if (seen.contains(s.getFullName())) {
          return;
        }
        seen.add(s.getFullName());
        for (Schema.Field f : s.getFields()) {
          if (f.doc() == null || f.doc().isBlank()) {
            missing.add(s.getName() + "." + f.name());
          }
          collectUndocumented(f.schema(), seen, missing);
        }
      }
      case UNION -> s.getTypes().forEach(t -> collectUndocumented(t, seen, missing));
      case ARRAY -> collectUndocumented(s.getElementType(), seen, missing);
      case MAP -> collectUndocumented(s.getValueType(), seen, missing);
      default -> { }
    }
  }
}
