package io.alvlm.labels;

import io.alvlm.topics.TopicSnapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.annotate.ImageLookup;
import io.alvlm.annotate.ImageType;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ClassGuess;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.embedder.ImageRejected;
import io.alvlm.topics.Topics;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exports what the topics hold: the open requests as Label Studio import tasks (the image as its
 * uri, or inline as a data URL; predictions = the model's guesses, scored by the request's
 * uncertainty), and the labelled set (the latest label per image) as CSV.
 */
public final class LabelExport {
  /** How long reading a topic to its end may take. */
  private static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofMinutes(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelExport() {}

  /** Requests not yet answered (no label echoes their query id) and not past their deadline. */
  public static List<AnnotationRequest> openRequests(Map<String, Object> clientConfig, Topics topics, long now) {
    Set<String> answered = new HashSet<>();
    TopicSnapshot.read(clientConfig, topics.labels.name(), topics.labels.valueSerde().deserializer(), READ_TIMEOUT)
        .forEach(r -> answered.add(r.value().getQueryId()));
    Map<String, AnnotationRequest> open = new LinkedHashMap<>();
    TopicSnapshot.read(clientConfig, topics.queries.name(), topics.queries.valueSerde().deserializer(), READ_TIMEOUT).forEach(r -> {
      AnnotationRequest q = r.value();
      if (!answered.contains(q.getQueryId()) && q.getDeadline().toEpochMilli() > now) {
        open.put(q.getQueryId(), q);
      }
    });
    return new ArrayList<>(open.values());
  }

  public static String labelStudio(List<AnnotationRequest> requests, ImageLookup images) throws Exception {
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (AnnotationRequest q : requests) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("image", image(q, images));
      data.put("alvlm_id", q.getId());
      data.put("query_id", q.getQueryId());
      data.put("round", q.getRound());
      data.put("guesses", q.getGuesses().stream()
          .map(g -> Map.of("class", g.getClassName(), "probability", g.getProbability())).toList());
      List<Map<String, Object>> result = new ArrayList<>();
      if (!q.getGuesses().isEmpty()) {
        ClassGuess top = q.getGuesses().get(0);
        result.add(Map.of("from_name", "choice", "to_name", "image", "type", "choices",
            "value", Map.of("choices", List.of(top.getClassName())), "score", top.getProbability()));
      }
      Map<String, Object> prediction = new LinkedHashMap<>();
      prediction.put("model_version", "alvlm-v" + q.getModelVersion());
      prediction.put("score", q.getUncertainty());
      prediction.put("result", result);
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("data", data);
      task.put("predictions", List.of(prediction));
      tasks.add(task);
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tasks);
  }

  private static String image(AnnotationRequest q, ImageLookup images) throws ImageRejected {
    if (q.getUri() != null && !q.getUri().isBlank()) {
      return q.getUri();
    }
    byte[] b = images.bytes(q);
    return "data:" + ImageType.sniff(b).orElse("application/octet-stream") + ";base64," + Base64.getEncoder().encodeToString(b);
  }

  /** The latest label of every labelled image (LABELED or NONE_OF_THESE), one CSV line each. */
  public static String csv(Map<String, Object> clientConfig, Topics topics) {
    Map<String, Label> latest = new LinkedHashMap<>();
    TopicSnapshot.read(clientConfig, topics.labels.name(), topics.labels.valueSerde().deserializer(), READ_TIMEOUT)
        .forEach(r -> latest.put(r.key(), r.value()));
    StringBuilder b = new StringBuilder("id,outcome,class,annotator,query_id,labeled_at,time_spent_ms\n");
    latest.values().stream().filter(l -> l.getOutcome() != LabelOutcome.SKIPPED).forEach(l -> b.append(CsvLine.join(List.of(
        l.getId(), l.getOutcome().name(), l.getClassName() == null ? "" : l.getClassName(), l.getAnnotator(),
        l.getQueryId() == null ? "" : l.getQueryId(), l.getLabeledAt().toString(), Long.toString(l.getTimeSpentMs())))).append('\n'));
    return b.toString();
  }
}
