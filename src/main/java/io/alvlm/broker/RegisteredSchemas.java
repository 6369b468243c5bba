package io.alvlm.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schemas a registry holds, by id, and each subject's versions. With a journal file every new
 * version is appended to it as one JSON line and replayed on start, so that a registry stopped and
 * started again answers the same ids, as Confluent's keeps them in its {@code _schemas} topic (records
 * written before an outage name those ids).
 */
final class RegisteredSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private final Path journal;
  private int nextId = 1;

  private RegisteredSchemas(Path journal) {
    this.journal = journal;
  }

  /** In memory only. */
  static RegisteredSchemas inMemory() {
    return new RegisteredSchemas(null);
  }

  /** Replays {@code journal} if it exists, and appends every new version to it. */
  static RegisteredSchemas journalled(Path journal) throws IOException {
    RegisteredSchemas s = new RegisteredSchemas(journal);
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          s.add(n.path("subject").asText(), n.path("id").asInt(), n.path("schema").asText());
        }
      }
    }
    return s;
  }

  /** The id of {@code schema} under {@code subject}, registering it as that subject's next version if new. */
  synchronized int store(String subject, String schema) {
    Integer known = idBySchema.get(schema);
    int id = known != null ? known : nextId;
    if (!subjects.getOrDefault(subject, List.of()).contains(id)) {
      add(subject, id, schema);
      if (journal != null) {
        String line = JSON.createObjectNode().put("subject", subject).put("id", id).put("schema", schema) + "\n";
        try {
          Files.writeString(journal, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot append to the registry's journal " + journal, e);
        }
      }
    }
    return id;
  }

  private void add(String subject, int id, String schema) {
    schemas.put(id, schema);
    idBySchema.put(schema, id);
    nextId = Math.max(nextId, id + 1);
    List<Integer> versions = subjects.computeIfAbsent(subject, k -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
  }

  synchronized String schema(int id) {
    return schemas.get(id);
  }

  /** The id of a schema text, or null when none was registered. */
  synchronized Integer id(String schema) {
    return idBySchema.get(schema);
  }

  /** The ids of {@code subject}'s versions, oldest first; null when the subject does not exist. */
  synchronized List<Integer> versions(String subject) {
    List<Integer> v = subjects.get(subject);
    return v == null ? null : List.copyOf(v);
  }

  synchronized Set<String> subjects() {
    return new TreeSet<>(subjects.keySet());
  }
}
