package io.alvlm.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.cli.AlvlmProcess;
import io.alvlm.cli.AlvlmProcess.Run;
import io.alvlm.data.IdxDataset;
import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labels export} and {@code labels import} as the README shows them, each in a fresh JVM
 * through {@code bin/alvlm} (the Avro trust bug only showed there), against the service on a real
 * broker: a file with bad rows is refused with their lines and writes nothing; half the requests
 * come back through Label Studio, the other half as a CSV in the README's shape; the CSV that
 * {@code labels export} wrote imports again as a no-op; every label arrives exactly once, the pool
 * applies them and the trainer retrains on them. An unknown query id and an unreachable schema
 * registry are one line each.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LabelsCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMAGES = 60;
  private static final int BUDGET = 10;
  @TempDir Path dir;

  @Test
  void exportThenImportInFreshJvmsForLabelStudioAndCsvArrivesExactlyOnce() throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, dir.resolve("state"));
      s.put("query.budget", Integer.toString(BUDGET));
      s.put("query.min-new", Integer.toString(IMAGES));
      s.put("query.interval.ms", "3600000");
      s.put("train.min-new-labels", Integer.toString(BUDGET));
      s.put("train.epochs", "2");
      s.put("train.gate", "always");
      Path config = dir.resolve("alvlm.properties");
      ServiceHarness.writeConfig(config, s);
      ServiceHarness.createTopics(kafka, s);
      ServiceHarness.produce(kafka, topics, data, 0, IMAGES);
      try (AlvlmService service = AlvlmService.start(ServiceConfig.load(config, Map.of(), Map.of()))) {
        List<AnnotationRequest> asked = new ArrayList<>();
        ServiceHarness.readUntil(kafka, topics.queries.name(), topics.queries.valueSerde().deserializer(),
            l -> l.size() >= BUDGET, Duration.ofSeconds(180)).forEach(r -> asked.add(r.value()));
        assertEquals(BUDGET, asked.size(), "one round of requests");
        Map<String, String> truth = new TreeMap<>();
        asked.forEach(q -> truth.put(q.getId(), ServiceHarness.CLASSES.get(data.label(
            Integer.parseInt(q.getId().substring("img-".length()))))));

        // Label Studio: export the open requests, answer the first half, import
        Run exported = alvlm("labels", "export", "--config", config.toString(), "--format", "label-studio", "--out",
            "tasks.json");
        assertEquals(0, exported.exit(), exported.err());
        ArrayNode tasks = (ArrayNode) JSON.readTree(dir.resolve("tasks.json").toFile());
        assertEquals(BUDGET, tasks.size());
        ArrayNode answered = JSON.createArrayNode();
        for (int i = 0; i < BUDGET / 2; i++) {
          ObjectNode t = (ObjectNode) tasks.get(i);
          answer(t, truth.get(t.path("data").path("alvlm_id").asText()));
          answered.add(t);
        }
        JSON.writeValue(dir.resolve("answered.json").toFile(), answered);

        // one unanswered task and one unknown class: both lines named, nothing written
        ArrayNode bad = answered.deepCopy();
        ((ObjectNode) bad.get(0)).remove("annotations");
        answer((ObjectNode) bad.get(1), "Not a class");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("bad.json").toFile(), bad);
        Run refused = alvlm("labels", "import", "bad.json", "--config", config.toString(), "--format", "label-studio");
        assertEquals(1, refused.exit(), refused.err());
        List<String> said = launcherless(refused.errLines());
        assertEquals(3, said.size(), refused.err());
        assertTrue(said.get(0).startsWith("bad.json: line ") && said.get(0).endsWith("has no annotation"), said.get(0));
        assertTrue(said.get(1).contains("unknown class 'Not a class'"), said.get(1));
        assertEquals("alvlm labels import: bad.json: 2 problems (above); nothing written (--skip-invalid writes the valid "
            + "rows)", said.get(2));
        Run imported = alvlm("labels", "import", "answered.json", "--config", config.toString(), "--format", "label-studio");
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.err().contains("5 label(s) written, 0 unchanged, 0 refused"), imported.err());

        // CSV in the README's shape: id,class[,outcome,annotator,query_id], trailing fields left out
        List<String> viaLabelStudio = new ArrayList<>();
        answered.forEach(t -> viaLabelStudio.add(t.path("data").path("alvlm_id").asText()));
        List<AnnotationRequest> rest = asked.stream().filter(q -> !viaLabelStudio.contains(q.getId())).toList();
        StringBuilder csv = new StringBuilder("id,class,outcome,annotator,query_id\n");
        for (int i = 0; i < rest.size(); i++) {
          AnnotationRequest q = rest.get(i);
          csv.append(q.getId()).append(',').append(truth.get(q.getId()));
          if (i % 2 == 1) {
            csv.append(",LABELED,alice,").append(q.getQueryId());
          }
          csv.append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);
        Run csvImported = alvlm("labels", "import", "labels.csv", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csvImported.exit(), csvImported.err());
        assertTrue(csvImported.err().contains("5 label(s) written, 0 unchanged, 0 refused"), csvImported.err());

        // the CSV labels export writes imports again, changing nothing
        Run csvExported = alvlm("labels", "export", "--config", config.toString(), "--format", "csv", "--out",
            "labelled.csv");
        assertEquals(0, csvExported.exit(), csvExported.err());
        assertEquals(BUDGET + 1, Files.readAllLines(dir.resolve("labelled.csv")).size(), "a header and every label");
        Run reimported = alvlm("labels", "import", "labelled.csv", "--config", config.toString(), "--format", "csv");
        assertEquals(0, reimported.exit(), reimported.err());
        assertTrue(reimported.err().contains("0 label(s) written, 10 unchanged, 0 refused"), reimported.err());

        // a query id no round ever asked: refused on one line, nothing written
        Files.writeString(dir.resolve("forged.csv"), "id,class,outcome,annotator,query_id\n" + rest.get(0).getId()
            + ",Bag,LABELED,mallory,alvlm-r99-" + rest.get(0).getId() + "\n");
        Run forged = alvlm("labels", "import", "forged.csv", "--config", config.toString(), "--format", "csv");
        assertEquals(1, forged.exit(), forged.err());
        assertEquals(List.of("alvlm labels import: forged.csv: line 2: unknown query id alvlm-r99-" + rest.get(0).getId()
            + ": no request on the queries topic has it (leave query_id empty for a label that answers no request); "
            + "nothing written (--skip-invalid writes the valid rows)"), launcherless(forged.errLines()));

        List<ConsumerRecord<String, Label>> labels = ServiceHarness.readUntil(kafka, topics.labels.name(),
            topics.labels.valueSerde().deserializer(), l -> false, Duration.ofSeconds(5));
        Map<String, String> got = new HashMap<>();
        for (ConsumerRecord<String, Label> r : labels) {
          assertEquals(null, got.put(r.key(), r.value().getClassName()), "a second label for " + r.key());
        }
        assertEquals(truth, new TreeMap<>(got), "every answer once, nothing else");

        // the pool applies them (one EXAMPLE each, on to the trainer) and the trainer retrains on them
        Map<String, String> applied = new TreeMap<>();
        ServiceHarness.readUntil(kafka, topics.training.name(), topics.training.valueSerde().deserializer(),
            l -> l.stream().filter(e -> e.value().getType() == TrainingEventType.EXAMPLE).count() >= BUDGET,
            Duration.ofSeconds(60)).stream().filter(e -> e.value().getType() == TrainingEventType.EXAMPLE)
            .forEach(e -> applied.put(e.value().getId(), e.value().getClassName()));
        assertEquals(truth, applied);
        PromptModel retrained = ServiceHarness.readUntil(kafka, topics.models.name(), topics.models.valueSerde().deserializer(),
            l -> l.stream().anyMatch(m -> m.value().getVersion() >= 1), Duration.ofSeconds(120)).stream()
            .map(ConsumerRecord::value).filter(m -> m.getVersion() >= 1).findFirst()
            .orElseThrow(() -> new AssertionError("the trainer published no model trained on the imported labels"));
        assertTrue(retrained.getMetrics().get("train_labels") + retrained.getMetrics().get("heldout_labels") >= BUDGET,
            retrained.getMetrics().toString());
      }

      // an unreachable schema registry is named at once
      Path confluent = dir.resolve("confluent.properties");
      Map<String, String> c = new HashMap<>(ServiceHarness.settings(kafka, dir.resolve("state2")));
      c.put("serde.format", "confluent");
      c.put("schema.registry.url", "http://127.0.0.1:1");
      ServiceHarness.writeConfig(confluent, c);
      Run noRegistry = alvlm("labels", "export", "--config", confluent.toString(), "--format", "csv", "--out", "x.csv");
      assertEquals(1, noRegistry.exit(), noRegistry.err());
      List<String> lines = launcherless(noRegistry.errLines());
      assertEquals(1, lines.size(), noRegistry.err());
      assertTrue(lines.get(0).startsWith("alvlm labels export: cannot reach the schema registry at http://127.0.0.1:1 "
          + "(schema.registry.url)"), lines.get(0));
      assertTrue(Files.notExists(dir.resolve("x.csv")));
    }
  }

  /** The command as the README shows it, through bin/alvlm in a fresh JVM, in the test's folder. */
  private Run alvlm(String... args) throws Exception {
    return AlvlmProcess.launcher(dir, Map.of(), List.of(args));
  }

  /** Without bin/alvlm's own line about a missing allocator (a machine without libtcmalloc-minimal4). */
  private static List<String> launcherless(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("alvlm: libtcmalloc-minimal4 is not installed")).toList();
  }

  /** Label Studio's export shape of one completed annotation choosing {@code cls}. */
  private static void answer(ObjectNode task, String cls) {
    ObjectNode a = task.putArray("annotations").addObject();
    a.put("completed_by", "annotator@example.com");
    a.put("lead_time", 2.5);
    ObjectNode r = a.putArray("result").addObject();
    r.put("from_name", "choice");
    r.put("to_name", "image");
    r.put("type", "choices");
    r.putObject("value").putArray("choices").add(cls);
  }
}
