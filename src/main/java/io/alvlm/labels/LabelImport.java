package io.alvlm.labels;

import io.alvlm.topics.TopicSnapshot;

import io.alvlm.avro.Label;
import io.alvlm.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Imports labels: every row is checked first (shape, an image the topics have seen, a configured
 * class); with any problem nothing is written unless {@code skipInvalid}. A row whose label is
 * already the image's latest on {@code alvlm.labels} (same outcome and class) is left out, so
 * importing the same file twice writes nothing the second time. The rest is written in one Kafka
 * transaction.
 */
public final class LabelImport {
  /** How long reading a topic to its end may take. */
  private static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofMinutes(2);

  /** What an import did: rows written, rows unchanged, and the problems by line. */
  public record Result(int written, int unchanged, List<String> problems) {}

  private LabelImport() {}

  /** The problems of {@code rows} against known image ids and class names, one message per bad row. */
  public static List<String> problems(List<ImportRow> rows, Set<String> images, Collection<String> classes) {
    List<String> out = new ArrayList<>();
    for (ImportRow r : rows) {
      if (r.problem() != null) {
        out.add("line " + r.line() + ": " + r.problem());
      } else if (!images.contains(r.label().getId())) {
        out.add("line " + r.line() + ": unknown image " + r.label().getId());
      } else if (r.label().getClassName() != null && !classes.contains(r.label().getClassName())) {
        out.add("line " + r.line() + ": unknown class '" + r.label().getClassName() + "' (classes: " + classes + ")");
      }
    }
    return out;
  }

  public static Result run(Map<String, Object> clientConfig, Topics topics, List<ImportRow> rows, Collection<String> classes,
      boolean skipInvalid) {
    Set<String> images = new java.util.HashSet<>();
    TopicSnapshot.read(clientConfig, topics.images.name(), new ByteArrayDeserializer(), READ_TIMEOUT).forEach(r -> images.add(r.key()));
    List<String> problems = problems(rows, images, classes);
    if (!problems.isEmpty() && !skipInvalid) {
      return new Result(0, 0, problems);
    }
    Map<String, Label> latest = new HashMap<>();
    TopicSnapshot.read(clientConfig, topics.labels.name(), topics.labels.valueSerde().deserializer(), READ_TIMEOUT)
        .forEach(r -> latest.put(r.key(), r.value()));
    Set<Integer> bad = new java.util.HashSet<>();
    problems.forEach(p -> bad.add(Integer.parseInt(p.substring(5, p.indexOf(':')))));
    List<Label> toWrite = new ArrayList<>();
    int unchanged = 0;
    for (ImportRow r : rows) {
      if (bad.contains(r.line())) {
        continue;
      }
      Label before = latest.get(r.label().getId());
      if (before != null && before.getOutcome() == r.label().getOutcome()
          && Objects.equals(before.getClassName(), r.label().getClassName())) {
        unchanged++;
        continue;
      }
      toWrite.add(r.label());
      latest.put(r.label().getId(), r.label());
    }
    if (!toWrite.isEmpty()) {
      Map<String, Object> p = new HashMap<>(clientConfig);
      p.put("transactional.id", "alvlm-labels-import-" + UUID.randomUUID());
      try (KafkaProducer<String, Label> producer =
          new KafkaProducer<>(p, new StringSerializer(), topics.labels.valueSerde().serializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        toWrite.forEach(l -> producer.send(new ProducerRecord<>(topics.labels.name(), l.getId(), l)));
        producer.commitTransaction();
      }
    }
    return new Result(toWrite.size(), unchanged, problems);
  }
}
