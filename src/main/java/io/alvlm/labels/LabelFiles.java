package io.alvlm.labels;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.avro.Label;
import io.alvlm.annotate.Annotators;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.serde.RecordTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads labels from a Label Studio JSON export or a CSV file into {@link ImportRow}s, one per task
 * or CSV line, each with its line number. Only the shape is checked here; {@link LabelImport}
 * checks images and classes.
 *
 * <p>Label Studio: a JSON array of tasks with {@code data.alvlm_id} (and {@code data.query_id}),
 * and {@code annotations[]}: the last one not cancelled gives the choice
 * ({@code result[].value.choices[0]}; {@value #NONE_CHOICE} means none of these), a cancelled one
 * (skipped) gives SKIPPED; the annotator is {@code label-studio:<completed_by>}, the time
 * {@code lead_time} seconds. CSV: a header with {@code id} and {@code class}, optionally
 * {@code outcome}, {@code annotator}, {@code query_id} (other columns, such as those {@code labels
 * export} adds, are ignored); a row may end early, its missing trailing fields empty, as long as it
 * reaches its id and class. Annotator names follow {@link Annotators#NAME_RULE}, the rule of
 * {@code annotate.tokens}; the names the workbench writes for votes ({@code ann+bob}) and Label
 * Studio's prefix ({@code label-studio:}) are accepted too.
 */
public final class LabelFiles {
  /** The choice that Label Studio's labelling config of {@code labels export} offers for "none of these". */
  public static final String NONE_CHOICE = "None of these";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String LABEL_STUDIO_PREFIX = "label-studio:";

  static {
    // the rows are Label records built here, before any serde has marked Avro's generated classes as trusted
    RecordTypes.trustGeneratedClasses();
  }

  private LabelFiles() {}

  public static List<ImportRow> read(Path file, String format, Instant now) throws IOException {
    return switch (format) {
      case "label-studio" -> labelStudio(Files.readString(file, StandardCharsets.UTF_8), now);
      case "csv" -> csv(Files.readAllLines(file, StandardCharsets.UTF_8), now);
      default -> throw new IllegalArgumentException("--format " + format + ": want label-studio or csv");
    };
  }

  static List<ImportRow> labelStudio(String text, Instant now) throws IOException {
    List<ImportRow> rows = new ArrayList<>();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        rows.add(ImportRow.bad(1, "a Label Studio export is a JSON array of tasks"));
        return rows;
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int line = p.currentTokenLocation().getLineNr();
        JsonNode task = p.readValueAsTree();
        rows.add(task(line, task, now));
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      rows.add(ImportRow.bad(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage()));
    }
    return rows;
  }

  private static ImportRow task(int line, JsonNode task, Instant now) {
    String id = task.path("data").path("alvlm_id").asText(null);
    if (id == null || id.isBlank()) {
      return ImportRow.bad(line, "task has no data.alvlm_id");
    }
    JsonNode chosen = null;
    for (JsonNode a : task.path("annotations")) {
      chosen = a;
    }
    if (chosen == null) {
      return ImportRow.bad(line, "task " + id + " has no annotation");
    }
    String annotator = LABEL_STUDIO_PREFIX + who(chosen.path("completed_by"));
    if (!validAnnotator(annotator)) {
      return ImportRow.bad(line, "task " + id + ": " + annotatorProblem(annotator));
    }
    Label.Builder b = Label.newBuilder().setId(id).setLabeledAt(now)
        .setQueryId(task.path("data").path("query_id").asText(null))
        .setAnnotator(annotator)
        .setTimeSpentMs(Math.round(chosen.path("lead_time").asDouble(0) * 1000));
    if (chosen.path("was_cancelled").asBoolean(false)) {
      return ImportRow.ok(line, b.setOutcome(LabelOutcome.SKIPPED).build());
    }
    String choice = null;
    for (JsonNode r : chosen.path("result")) {
      JsonNode c = r.path("value").path("choices");
      if (c.isArray() && c.size() == 1) {
        choice = c.get(0).asText();
      } else if (c.isArray() && c.size() > 1) {
        return ImportRow.bad(line, "task " + id + ": " + c.size() + " choices, want one");
      }
    }
    if (choice == null) {
      return ImportRow.bad(line, "task " + id + ": the annotation has no choice");
    }
    return ImportRow.ok(line, choice.equals(NONE_CHOICE) ? b.setOutcome(LabelOutcome.NONE_OF_THESE).build()
        : b.setOutcome(LabelOutcome.LABELED).setClassName(choice).build());
  }

  private static String who(JsonNode completedBy) {
    if (completedBy.isObject()) {
      return completedBy.path("email").asText(completedBy.path("id").asText("unknown"));
    }
    return completedBy.isMissingNode() || completedBy.isNull() ? "unknown" : completedBy.asText();
  }

  /** A name as the workbench or an import writes it: {@code name}, {@code ann+bob} (votes), {@code label-studio:name}. */
  static boolean validAnnotator(String annotator) {
    String names = annotator.startsWith(LABEL_STUDIO_PREFIX) ? annotator.substring(LABEL_STUDIO_PREFIX.length()) : annotator;
    return Arrays.stream(names.split("\\+", -1)).allMatch(Annotators::validName);
  }

  private static String annotatorProblem(String annotator) {
    String shown = annotator.length() > 40 ? annotator.substring(0, 40) + "…" : annotator;
    return "annotator '" + shown + "' is not a name of " + Annotators.NAME_RULE + " (the rule of annotate.tokens)";
  }

  static List<ImportRow> csv(List<String> lines, Instant now) {
    List<ImportRow> rows = new ArrayList<>();
    if (lines.isEmpty()) {
      rows.add(ImportRow.bad(1, "empty file: want a header with id and class"));
      return rows;
    }
    List<String> header = CsvLine.split(lines.get(0)).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    int id = header.indexOf("id");
    int cls = header.indexOf("class");
    if (id < 0 || cls < 0) {
      rows.add(ImportRow.bad(1, "header " + header + " lacks id and class"));
      return rows;
    }
    int outcome = header.indexOf("outcome");
    int annotator = header.indexOf("annotator");
    int query = header.indexOf("query_id");
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> f = new ArrayList<>(CsvLine.split(lines.get(i)));
      if (f.size() > header.size()) {
        rows.add(ImportRow.bad(i + 1, f.size() + " fields, the header has " + header.size()));
        continue;
      }
      if (f.size() <= Math.max(id, cls)) {
        rows.add(ImportRow.bad(i + 1, f.size() + " field(s): the row ends before its " + (f.size() <= id ? "id" : "class")));
        continue;
      }
      while (f.size() < header.size()) {
        f.add(""); // optional trailing columns left out
      }
      String c = f.get(cls).trim();
      LabelOutcome o;
      try {
        o = outcome >= 0 && !f.get(outcome).isBlank() ? LabelOutcome.valueOf(f.get(outcome).trim().toUpperCase(Locale.ROOT))
            : LabelOutcome.LABELED;
      } catch (IllegalArgumentException e) {
        rows.add(ImportRow.bad(i + 1, "outcome " + f.get(outcome) + ": want LABELED, SKIPPED or NONE_OF_THESE"));
        continue;
      }
      if (f.get(id).isBlank() || (o == LabelOutcome.LABELED) == c.isEmpty()) {
        rows.add(ImportRow.bad(i + 1, "want an id, and a class exactly when the outcome is LABELED"));
        continue;
      }
      String who = annotator >= 0 && !f.get(annotator).isBlank() ? f.get(annotator).trim() : "csv-import";
      if (!validAnnotator(who)) {
        rows.add(ImportRow.bad(i + 1, annotatorProblem(who)));
        continue;
      }
      rows.add(ImportRow.ok(i + 1, Label.newBuilder().setId(f.get(id).trim()).setOutcome(o)
          .setClassName(o == LabelOutcome.LABELED ? c : null)
          .setAnnotator(who)
          .setQueryId(query >= 0 && !f.get(query).isBlank() ? f.get(query).trim() : null).setLabeledAt(now).build()));
    }
    return rows;
  }
}
