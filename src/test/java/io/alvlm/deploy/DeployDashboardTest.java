package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.alvlm.stream.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docker/grafana/alvlm.json is a Grafana dashboard whose panels cover what operators watch and whose
 * alvlm_* queries name metrics {@link ServiceMetrics} exports (the Kafka and JVM ones are checked against
 * a real scrape by PrometheusScrapeIT).
 */
class DeployDashboardTest {
  static final String DATASOURCE_UID = "prometheus";

  @Test
  void panelsHaveQueriesOnTheProvisionedDatasource() throws Exception {
    var d = Repo.dashboard();
    assertFalse(d.json().path("uid").asText().isEmpty(), "dashboard uid");
    assertTrue(d.json().path("schemaVersion").asInt() > 0, "schemaVersion");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : d.panels()) {
      String title = p.path("title").asText();
      assertTrue(ids.add(p.path("id").asInt()), "panel id repeated: " + title);
      assertTrue(p.path("gridPos").has("w") && p.path("gridPos").has("h"), title + ": gridPos");
      assertEquals(DATASOURCE_UID, p.path("datasource").path("uid").asText(), title);
      assertTrue(p.path("targets").size() > 0, title + ": no targets");
      Set<String> refs = new HashSet<>();
      for (JsonNode t : p.path("targets")) {
        assertFalse(t.path("expr").asText().isBlank(), title + ": target without expr");
        assertTrue(refs.add(t.path("refId").asText()), title + ": refId repeated");
      }
    }
  }

  @Test
  void coversWhatTheIssueAsksFor() throws Exception {
    String titles = Repo.dashboard().panels().stream().map(p -> p.path("title").asText().toLowerCase(Locale.ROOT))
        .reduce("", (a, b) -> a + "|" + b);
    for (String topic : List.of("throughput", "batch latency", "pool by status", "rounds", "labels", "dead letters by reason",
        "accuracy over versions", "consumer lag", "fenced producers", "batch limit")) {
      assertTrue(titles.contains(topic), "no panel on " + topic + ": " + titles);
    }
  }

  @Test
  void alvlmMetricsInQueriesAreOnesTheServiceExports() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceMetrics m = new ServiceMetrics(registry);
    m.embedded(2, 1_000_000);
    m.round(1, 1_000_000);
    m.trained(1_000_000, 0.5, 0.9, 0.8);
    m.label("labeled");
    m.deadLetter("embedder", "image-decode");
    m.trainingRejected("gate");
    Set<String> exported = new TreeSet<>();
    registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> exported.add(l.split("[{ ]")[0]));
    Set<String> wanted = new TreeSet<>(Repo.dashboard().metricNames());
    wanted.forEach(n -> assertTrue(n.matches("(alvlm|kafka|jvm)_\\w+"), "unexpected metric family: " + n));
    wanted.removeIf(n -> !n.startsWith("alvlm_"));
    // a dashboard whose queries name no alvlm metric (renamed panels, a parser that finds none) checks nothing
    assertTrue(wanted.size() >= 5, "the dashboard's queries name only " + wanted.size() + " alvlm metrics: " + wanted);
    wanted.removeAll(exported);
    assertTrue(wanted.isEmpty(), "dashboard reads alvlm metrics ServiceMetrics does not export: " + wanted + "; exported: " + exported);
  }
}
