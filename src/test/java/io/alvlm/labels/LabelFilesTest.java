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
    List<ImportRow> rows = LabelFiles.csv(List.of("id,class,annotator", "img-1,Coat,ann", "img-9,Coat,ann", "img-2,Dragon,ann",
        "img-3,,ann", "img-4,Bag"), NOW);
    List<String> problems = LabelImport.problems(rows, Set.of("img-1", "img-2", "img-3", "img-4"), CLASSES);
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("line 3: unknown image img-9"), problems.get(0));
    assertTrue(problems.get(1).startsWith("line 4: unknown class 'Dragon'"), problems.get(1));
    assertTrue(problems.get(2).startsWith("line 5: "), problems.get(2));
    assertTrue(problems.get(3).startsWith("line 6: 2 fields"), problems.get(3));
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
