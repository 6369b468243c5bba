package io.alvlm.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The panels and PromQL queries of a Grafana dashboard JSON file (rows' nested panels included). In
 * main, not only in tests, because the soak evaluates every query of the dashboard people look at.
 */
public record GrafanaDashboard(JsonNode json, List<JsonNode> panels) {
  /** The project's dashboard, relative to the project root (Grafana provisions it in docker/compose.yaml). */
  public static final Path FILE = Path.of("docker/grafana/alvlm.json");

  /** One query of one panel. */
  public record Query(String panel, String refId, String expr) {}

  public static GrafanaDashboard read(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    List<JsonNode> panels = new ArrayList<>();
    collect(json.path("panels"), panels);
    return new GrafanaDashboard(json, panels);
  }

  private static void collect(JsonNode list, List<JsonNode> out) {
    for (JsonNode p : list) {
      out.add(p);
      collect(p.path("panels"), out);
    }
  }

  /** Every query of every panel, in the file's order. */
  public List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels) {
      out.addAll(queries(p));
    }
    return out;
  }

  /** The queries of one panel (none for a row or a text panel). */
  public static List<Query> queries(JsonNode panel) {
    List<Query> out = new ArrayList<>();
    for (JsonNode t : panel.path("targets")) {
      out.add(new Query(panel.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
    }
    return out;
  }

  /** Every metric name any query reads. */
  public Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    queries().forEach(q -> names.addAll(PromQl.metricNames(q.expr())));
    return names;
  }
}
