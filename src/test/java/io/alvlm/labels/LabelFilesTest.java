package io.alvlm.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.LabelOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelFilesTest {
  static {
    io.alvlm.serde.RecordTypes.trustGeneratedClasses();
  }

  private static final Instant NOW = Instant.ofEpochMilli(1_000);
  private static final List<String> CLASSES = List.of("Bag", "Coat", "T-shirt/top");

  @Test
  void readsALabelStudioExportWithChoicesSkipsAndNone() throws Exception {
    String export = """
        [
          {"id": 1, "data": {"alvlm_id": "img-1", "query_id": "q1"},
           "annotations": [{"completed_by": {"email": "ann@x.org"}, "lead_time": 2.5,
             "result": [{"from_name": "choice", "to_name": "image", "type": "choices", "value": {"choices": ["Coat"]}}]}]},
          {"id": 2, "data": {"alvlm_id": "img-2"}, "annotations": [{"completed_by": 7, "was_cancelled": true, "result": []}]},
          {"id": 3, "data": {"alvlm_id": "img-3"},
           "annotations": [{"completed_by": 7, "result": [{"value": {"choices": ["None of these"]}}]}]}
        ]""";
    List<ImportRow> rows = LabelFiles.labelStudio(export, NOW);
    assertEquals(3, rows.size());
    assertEquals("Coat", rows.get(0).label().getClassName());
    assertEquals("label-studio:ann@x.org", rows.get(0).label().getAnnotator());
    assertEquals("q1", rows.get(0).label().getQueryId());
    assertEquals(2_500, rows.get(0).label().getTimeSpentMs());
    assertEquals(LabelOutcome.SKIPPED, rows.get(1).label().getOutcome());
    assertEquals(LabelOutcome.NONE_OF_THESE, rows.get(2).label().getOutcome());
    assertEquals(List.of(2, 5, 6), rows.stream().map(ImportRow::line).toList(), "each task knows its line");
  }

  @Test
  void listsEveryBadRowWithItsLine() {
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class,annotator,query_id", "img-1,Coat,ann", "img-9,Coat,ann",
        "img-2,Dragon,ann", "img-3,,ann", "img-4,Bag,ann,q-4,extra", "img-5,Bag,ann,alvlm-r9-img-5", "img-6,Bag,ann,q-4",
        "img-7"), NOW);
    List<String> problems = LabelImport.problems(rows, Set.of("img-1", "img-2", "img-3", "img-4", "img-5", "img-6", "img-7"),
        CLASSES, java.util.Map.of("q-4", "img-4"));
    assertEquals(List.of("line 3: unknown image img-9", "line 4: unknown class 'Dragon' (classes: [Bag, Coat, T-shirt/top])",
        "line 5: want an id, and a class exactly when the outcome is LABELED", "line 6: 5 fields, the header has 4",
        "line 7: unknown query id alvlm-r9-img-5: no request on the queries topic has it (leave query_id empty for a label "
            + "that answers no request)", "line 8: query id q-4 asked for image img-4, not img-6",
        "line 9: 1 field(s): the row ends before its class"), problems);
  }

  @Test
  void rowsAndClassesAreCheckedWithoutABroker() {
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class", "img-1,Coat", "img-2,Dragon", "img-3"), NOW);
    assertEquals(List.of("line 3: unknown class 'Dragon' (classes: [Bag, Coat, T-shirt/top])",
        "line 4: 1 field(s): the row ends before its class"), LabelImport.localProblems(rows, CLASSES));
  }

  @Test
  void optionalTrailingColumnsMayBeLeftOut() {
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class,outcome,annotator,query_id", "img-1,Coat", "img-2,,SKIPPED",
        "img-3,Bag,LABELED,ann,q-3"), NOW);
    assertEquals(List.of(), LabelImport.shapeProblems(rows));
    assertEquals("csv-import", rows.get(0).label().getAnnotator());
    assertEquals(null, rows.get(0).label().getQueryId());
    assertEquals(LabelOutcome.SKIPPED, rows.get(1).label().getOutcome());
    assertEquals("q-3", rows.get(2).label().getQueryId());
  }

  @Test
  void annotatorNamesFollowTheTokensRule() throws Exception {
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class,annotator", "img-1,Coat,<script>alert(1)</script>",
        "img-2,Coat,ann+bob", "img-3,Coat,label-studio:ann@x.org", "img-4,Coat,ann bob", "img-5,Coat,ann+"), NOW);
    assertEquals(List.of("line 2: annotator '<script>alert(1)</script>' is not a name of 1 to 64 letters, digits and "
        + "._@- (the rule of annotate.tokens)", "line 5: annotator 'ann bob' is not a name of 1 to 64 letters, digits and "
        + "._@- (the rule of annotate.tokens)", "line 6: annotator 'ann+' is not a name of 1 to 64 letters, digits and ._@- "
        + "(the rule of annotate.tokens)"), LabelImport.shapeProblems(rows));
    String export = """
        [{"data": {"alvlm_id": "img-1"}, "annotations": [{"completed_by": "<img src=x>",
          "result": [{"value": {"choices": ["Coat"]}}]}]}]""";
    assertTrue(LabelImport.shapeProblems(LabelFiles.labelStudio(export, NOW)).get(0)
        .startsWith("line 1: task img-1: annotator 'label-studio:<img src=x>' is not a name"));
  }

  @Test
  void quotedCsvFieldsKeepTheirCommas() {
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class", "\"img,1\",\"T-shirt/top\""), NOW);
    assertEquals("img,1", rows.get(0).label().getId());
    assertEquals(List.of("a,b", "c\"d"), CsvLine.split(CsvLine.join(List.of("a,b", "c\"d"))));
  }

  @Test
  void malformedJsonIsRefusedWithItsLine() throws Exception {
    List<ImportRow> rows = LabelFiles.labelStudio("[\n{\"data\": {\"alvlm_id\": \"a\"},\n \"annotations\": [}\n]", NOW);
    assertEquals(3, rows.get(rows.size() - 1).line(), rows.toString());
    assertTrue(rows.get(rows.size() - 1).problem().startsWith("not valid JSON"));
  }
}
