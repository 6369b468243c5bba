package io.alvlm.labels;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.IdxDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels that leave as a Label Studio export and come back as its answers: the open requests are
 * exported, a labeller answers each task with its true class (in Label Studio's export shape), and
 * the import brings the same labels to {@code alvlm.labels}, where the pool applies them and the
 * trainer retrains on them. A file with a bad row is refused with its line numbers and writes
 * nothing; importing the same answers again writes nothing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LabelFilesRoundTripIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMAGES = 60;
  private static final int BUDGET = 10;
  @TempDir Path dir;

  @Test
  void exportedRequestsAnsweredAndImportedReachThePoolAndTheTrainer() throws Exception {
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
        List<ConsumerRecord<String, AnnotationRequest>> requests = ServiceHarness.readUntil(kafka, topics.queries.name(),
            topics.queries.valueSerde().deserializer(), l -> l.size() >= BUDGET, Duration.ofSeconds(180));
        assertEquals(BUDGET, requests.size(), "one round of requests");
        Set<String> asked = requests.stream().map(ConsumerRecord::key).collect(Collectors.toCollection(TreeSet::new));

        Path exported = dir.resolve("tasks.json");
        assertEquals(0, run("labels", "export", "--config", config.toString(), "--format", "label-studio", "--out",
            exported.toString()).code());
        ArrayNode tasks = (ArrayNode) JSON.readTree(exported.toFile());
        Set<String> taskIds = new TreeSet<>();
        tasks.forEach(t -> taskIds.add(t.path("data").path("alvlm_id").asText()));
        assertEquals(asked, taskIds, "every open request is a task");

        Map<String, String> truth = new TreeMap<>();
        for (JsonNode t : tasks) {
          String id = t.path("data").path("alvlm_id").asText();
          String cls = ServiceHarness.CLASSES.get(data.label(Integer.parseInt(id.substring("img-".length()))));
          truth.put(id, cls);
          answer((ObjectNode) t, cls);
        }
        Path answered = dir.resolve("answered.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(answered.toFile(), tasks);

        // a file with one unknown class and one unanswered task: refused with line numbers, nothing written
        ArrayNode bad = (ArrayNode) JSON.readTree(answered.toFile());
        ((ObjectNode) bad.get(0)).remove("annotations");
        answer((ObjectNode) bad.get(1), "Not a class");
        Path badFile = dir.resolve("bad.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(badFile.toFile(), bad);
        Run refused = run("labels", "import", badFile.toString(), "--config", config.toString(), "--format", "label-studio");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("line ") && refused.err().contains("has no annotation")
            && refused.err().contains("unknown class 'Not a class'") && refused.err().contains("nothing written"),
            refused.err());

        Run imported = run("labels", "import", answered.toString(), "--config", config.toString(), "--format",
            "label-studio");
        assertEquals(0, imported.code(), imported.err());
        Run again = run("labels", "import", answered.toString(), "--config", config.toString(), "--format",
            "label-studio");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 label(s) written"), "a re-import is a no-op: " + again.err());

        // exactly the answers arrived, once each: the refused file wrote none of its eight valid rows
        List<ConsumerRecord<String, Label>> labels = ServiceHarness.readUntil(kafka, topics.labels.name(),
            topics.labels.valueSerde().deserializer(), l -> false, Duration.ofSeconds(5));
        Map<String, String> got = new TreeMap<>();
        for (ConsumerRecord<String, Label> r : labels) {
          assertEquals(LabelOutcome.LABELED, r.value().getOutcome());
          assertEquals("label-studio:annotator@example.com", r.value().getAnnotator());
          assertEquals(2500, r.value().getTimeSpentMs());
          got.put(r.key(), r.value().getClassName());
        }
        assertEquals(BUDGET, labels.size(), "one label per answered task");
        assertEquals(truth, got);

        // the pool applies them (one EXAMPLE each, on to the trainer) and the trainer retrains on them
        List<ConsumerRecord<String, TrainingEvent>> examples = ServiceHarness.readUntil(kafka, topics.training.name(),
            topics.training.valueSerde().deserializer(),
            l -> l.stream().filter(e -> e.value().getType() == TrainingEventType.EXAMPLE).count() >= BUDGET,
            Duration.ofSeconds(60));
        Map<String, String> applied = new HashMap<>();
        examples.stream().filter(e -> e.value().getType() == TrainingEventType.EXAMPLE)
            .forEach(e -> applied.put(e.value().getId(), e.value().getClassName()));
        assertEquals(truth, new TreeMap<>(applied));
        List<ConsumerRecord<String, PromptModel>> models = ServiceHarness.readUntil(kafka, topics.models.name(),
            topics.models.valueSerde().deserializer(), l -> l.stream().anyMatch(m -> m.value().getVersion() >= 1),
            Duration.ofSeconds(120));
        PromptModel retrained = models.stream().map(ConsumerRecord::value).filter(m -> m.getVersion() >= 1).findFirst()
            .orElseThrow(() -> new AssertionError("the trainer published no model trained on the imported labels"));
        assertTrue(retrained.getMetrics().get("train_labels") + retrained.getMetrics().get("heldout_labels") >= BUDGET,
            retrained.getMetrics().toString());
      }
    }
  }

  /** Label Studio's export shape of one completed annotation choosing {@code cls}. */
  private static void answer(ObjectNode task, String cls) {
    ObjectNode a = task.putArray("annotations").addObject();
    a.put("completed_by", "annotator@example.com");
    a.put("lead_time", 2.5);
    a.put("was_cancelled", false);
    ObjectNode r = a.putArray("result").addObject();
    r.put("from_name", "choice");
    r.put("to_name", "image");
    r.put("type", "choices");
    r.putObject("value").putArray("choices").add(cls);
  }

  private record Run(int code, String err) {}

  /** Runs an {@code alvlm} command in this JVM, capturing what it says on standard error. */
  private static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = io.alvlm.cli.Alvlm.commandLine().execute(args);
      return new Run(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
