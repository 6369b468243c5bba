package io.alvlm.chaos;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.topics.TopicSnapshot;
import io.alvlm.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The guarantees of the design, checked on read-committed views of the topics after a chaos run:
 * every good image embedded exactly once and no corrupt one ever; every annotation request for a
 * distinct image (no round re-asks one); every request answered; every label applied, i.e. exactly
 * one {@code EXAMPLE} training event per labelled image; one dead letter per corrupt record.
 *
 * @param sent good plus corrupt records sent
 * @param embeddedOnce good images with exactly one embedding
 * @param lost good images with no embedding
 * @param duplicated images with more than one embedding
 * @param requests annotation requests
 * @param duplicatedRequests requests for an image already asked for
 * @param applied labelled images with exactly one training example
 * @param labelsLost labelled images with no training example
 * @param deadLetters dead letters
 * @param expectedDeadLetters corrupt records sent
 * @param problems everything else that is wrong, one line each (empty when the run is clean)
 */
public record Invariants(int sent, int embeddedOnce, int lost, int duplicated, int requests, int duplicatedRequests,
    int applied, int labelsLost, int deadLetters, int expectedDeadLetters, List<String> problems) {

  /** What the topics held at the end of a run, as keys (image ids) per record. */
  public record Observed(List<String> embeddings, List<String> requestedIds, List<String> labelledIds,
      List<String> trainingExamples, List<String> deadLetterKeys) {
    /** Read-committed snapshots of the service's topics, up to their end offsets now. */
    public static Observed read(Map<String, Object> clients, Topics topics) {
      Duration t = Duration.ofSeconds(60);
      List<ConsumerRecord<String, byte[]>> emb = TopicSnapshot.read(clients, topics.embeddings.name(), new ByteArrayDeserializer(), t);
      List<ConsumerRecord<String, AnnotationRequest>> req = TopicSnapshot.read(clients, topics.queries.name(),
          topics.queries.valueSerde().deserializer(), t);
      List<ConsumerRecord<String, Label>> labels = TopicSnapshot.read(clients, topics.labels.name(),
          topics.labels.valueSerde().deserializer(), t);
      List<ConsumerRecord<String, TrainingEvent>> training = TopicSnapshot.read(clients, topics.training.name(),
          topics.training.valueSerde().deserializer(), t);
      List<ConsumerRecord<String, DeadLetter>> dlq = TopicSnapshot.read(clients, topics.dlq.name(),
          topics.dlq.valueSerde().deserializer(), t);
      return new Observed(
          emb.stream().map(ConsumerRecord::key).toList(),
          req.stream().map(r -> r.value().getId()).toList(),
          labels.stream().filter(r -> r.value().getOutcome() == LabelOutcome.LABELED).map(r -> r.value().getId()).distinct().toList(),
          training.stream().filter(r -> r.value().getType() == TrainingEventType.EXAMPLE).map(r -> r.value().getId()).toList(),
          dlq.stream().map(r -> r.value().getKey() == null ? "" : StandardCharsets.UTF_8.decode(r.value().getKey()).toString()).toList());
    }
  }

  public static Invariants check(Set<String> good, Set<String> corrupt, Observed o) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> emb = counts(o.embeddings());
    int once = 0;
    int lost = 0;
    for (String id : good) {
      int n = emb.getOrDefault(id, 0);
      once += n == 1 ? 1 : 0;
      lost += n == 0 ? 1 : 0;
    }
    int dup = (int) emb.values().stream().filter(n -> n > 1).count();
    for (String id : corrupt) {
      if (emb.containsKey(id)) {
        problems.add("corrupt record " + id + " was embedded");
      }
    }
    examples(lost, good, emb, "never embedded", problems);
    Map<String, Integer> asked = counts(o.requestedIds());
    int dupRequests = o.requestedIds().size() - asked.size();
    Set<String> answered = new HashSet<>(o.labelledIds());
    List<String> unanswered = asked.keySet().stream().filter(id -> !answered.contains(id)).sorted().toList();
    if (!unanswered.isEmpty()) {
      problems.add(unanswered.size() + " requests never answered, e.g. " + unanswered.subList(0, Math.min(5, unanswered.size())));
    }
    Map<String, Integer> ex = counts(o.trainingExamples());
    int applied = 0;
    int labelsLost = 0;
    for (String id : answered) {
      int n = ex.getOrDefault(id, 0);
      applied += n == 1 ? 1 : 0;
      labelsLost += n == 0 ? 1 : 0;
      if (n > 1) {
        problems.add("label of " + id + " applied " + n + " times");
      }
    }
    Map<String, Integer> dlq = counts(o.deadLetterKeys());
    for (String id : corrupt) {
      int n = dlq.getOrDefault(id, 0);
      if (n != 1) {
        problems.add("corrupt record " + id + " has " + n + " dead letters (want 1)");
      }
    }
    dlq.keySet().stream().filter(k -> !corrupt.contains(k)).forEach(k -> problems.add("unexpected dead letter for " + k));
    return new Invariants(good.size() + corrupt.size(), once, lost, dup, o.requestedIds().size(), dupRequests, applied,
        labelsLost, o.deadLetterKeys().size(), corrupt.size(), List.copyOf(problems));
  }

  private static void examples(int count, Collection<String> ids, Map<String, Integer> seen, String what, List<String> problems) {
    if (count > 0) {
      problems.add(count + " images " + what + ", e.g. " + ids.stream().filter(id -> !seen.containsKey(id)).limit(5).toList());
    }
  }

  private static Map<String, Integer> counts(List<String> keys) {
    Map<String, Integer> m = new HashMap<>();
    keys.forEach(k -> m.merge(k, 1, Integer::sum));
    return m;
  }

  /** No loss, no duplicate, every request answered and applied, one dead letter per corrupt record. */
  public boolean ok() {
    return lost == 0 && duplicated == 0 && duplicatedRequests == 0 && labelsLost == 0 && deadLetters == expectedDeadLetters
        && problems.isEmpty();
  }

  /** The one-line verdict. */
  public String line() {
    return String.format("images: %d sent, %d embedded once, %d lost, %d duplicated; requests: %d, %d duplicated; "
        + "labels: %d applied, %d lost; dlq: %d (expected %d)", sent, embeddedOnce, lost, duplicated, requests,
        duplicatedRequests, applied, labelsLost, deadLetters, expectedDeadLetters);
  }
}
