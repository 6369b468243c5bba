package io.alvlm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The panels and PromQL queries of a Grafana dashboard JSON file (rows' nested panels included). */
record GrafanaDashboard(JsonNode json, List<JsonNode> panels) {
  static final Path FILE = Path.of("docker/grafana/alvlm.json");

  /** One query of one panel. */
  record Query(String panel, String refId, String expr) {}

  static GrafanaDashboard read(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    List<JsonNode> panels = new ArrayList<>();
    collect(json.path("panels"), panels);
    return new GrafanaDashboard(json, panels);
  }

  static GrafanaDashboard alvlm() throws IOException {
    return read(Repo.path(FILE.toString()));
  }

  private static void collect(JsonNode list, List<JsonNode> out) {
    for (JsonNode p : list) {
      out.add(p);
      collect(p.path("panels"), out);
    }
  }

  List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        out.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
      }
    }
    return out;
  }

  /** Every metric name any query reads. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    queries().forEach(q -> names.addAll(PromQl.metricNames(q.expr())));
    return names;
  }

  /** A query as Prometheus can run it: Grafana's interval variables replaced by a fixed range. */
  static String runnable(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m").replace("$__interval", "1m")
        .replace("$__range", "1h");
  }
}
