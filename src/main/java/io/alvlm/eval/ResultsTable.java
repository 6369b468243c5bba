package io.alvlm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The rows of an evaluation in {@code results.csv} (appended one finished round at a time, so an
 * interrupted run keeps every finished round) and {@code results.json} (the run's settings and the
 * same rows, rewritten after each round).
 */
public final class ResultsTable {
  public static final String CSV = "results.csv";
  public static final String JSON = "results.json";

  private final Path dir;
  private final List<RoundResult> rows;

  private ResultsTable(Path dir, List<RoundResult> rows) {
    this.dir = dir;
    this.rows = rows;
  }

  /** The rows already in {@code dir/results.csv}, or none. */
  public static ResultsTable read(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    List<RoundResult> rows = new ArrayList<>();
    Path csv = dir.resolve(CSV);
    if (Files.isRegularFile(csv)) {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) rows.add(RoundResult.parse(Arrays.asList(lines.get(i).split(",", -1))));
      }
    }
    return new ResultsTable(dir, rows);
  }

  public List<RoundResult> rows() {
    return List.copyOf(rows);
  }

  /** Rounds finished by {@code strategy} with {@code seed}, in round order. */
  public List<RoundResult> rounds(String strategy, long seed) {
    return rows.stream().filter(r -> r.strategy().equals(strategy) && r.seed() == seed)
        .sorted(java.util.Comparator.comparingInt(RoundResult::round)).toList();
  }

  /** Appends {@code row} to results.csv (header first when new) and rewrites results.json. */
  public void add(RoundResult row, Map<String, Object> settings) throws IOException {
    Path csv = dir.resolve(CSV);
    StringBuilder sb = new StringBuilder();
    if (!Files.isRegularFile(csv)) sb.append(String.join(",", RoundResult.COLUMNS)).append('\n');
    sb.append(row.cells().stream().collect(Collectors.joining(","))).append('\n');
    Files.writeString(csv, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    rows.add(row);
    writeJson(settings);
  }

  private void writeJson(Map<String, Object> settings) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.set("settings", json.valueToTree(settings));
    ArrayNode out = root.putArray("rows");
    for (RoundResult r : rows) {
      ObjectNode o = out.addObject();
      o.put("strategy", r.strategy()).put("seed", r.seed()).put("round", r.round()).put("labels", r.labels())
          .put("budget", r.budget()).put("top1", r.top1()).put("mean_per_class", r.meanPerClass())
          .put("zero_shot_top1", r.zeroShotTop1()).put("zero_shot_mean_per_class", r.zeroShotMeanPerClass())
          .put("selection_seconds", r.selectionSeconds()).put("training_seconds", r.trainingSeconds())
          .put("finished_at", r.finishedAt());
    }
    Path tmp = dir.resolve(JSON + ".tmp");
    json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, dir.resolve(JSON), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
