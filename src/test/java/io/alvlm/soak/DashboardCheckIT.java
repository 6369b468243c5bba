package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.Await;
import io.alvlm.deploy.ScrapedService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard check against a real Prometheus scraping a real alvlm: every panel of the project's
 * dashboard returns data, and panels added to a copy of it, one reading a metric nobody exports and
 * one naming a template variable nobody fills, are reported as failures with their title and expr.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardCheckIT {
  private static final String NOBODY = "sum(rate(alvlm_nobody_exports_this_total[$__rate_interval]))";
  private static final String UNFILLED = "max(alvlm_model_version{instance=~\"$instance\"})";
  private ScrapedService scraped;
  private GrafanaDashboard dashboard;

  @BeforeAll
  void start() throws Exception {
    scraped = ScrapedService.start("target/dashboard-check-it");
    ObjectMapper json = new ObjectMapper();
    ObjectNode copy = (ObjectNode) json.readTree(GrafanaDashboard.FILE.toFile());
    ArrayNode panels = (ArrayNode) copy.path("panels");
    panels.add(panel(json, 901, "Nobody exports this", NOBODY));
    panels.add(panel(json, 902, "Unfilled variable", UNFILLED));
    Path file = Path.of("target/dashboard-check-it/dashboard-with-extra-panels.json");
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), copy);
    dashboard = GrafanaDashboard.read(file);
  }

  private static ObjectNode panel(ObjectMapper json, int id, String title, String expr) {
    ObjectNode p = json.createObjectNode().put("id", id).put("type", "timeseries").put("title", title);
    p.putArray("targets").addObject().put("refId", "A").put("expr", expr);
    return p;
  }

  @AfterAll
  void stop() throws Exception {
    if (scraped != null) scraped.close();
  }

  @Test
  void everyRealPanelHasDataAndTheAddedOnesFail() throws Exception {
    Map<String, String> vars = DashboardCheck.variables(ScrapedService.SCRAPE, Duration.ofMinutes(10));
    AtomicReference<List<DashboardCheck.PanelResult>> last = new AtomicReference<>(List.of());
    // rates need two scrapes inside $__rate_interval: wait until only the added panels are left without data
    boolean settled = Await.within(ScrapedService.PATIENCE, () -> {
      last.set(DashboardCheck.check(dashboard, scraped.prometheus().api(), vars));
      return DashboardCheck.failures(last.get()).size() == 2;
    });
    List<DashboardCheck.PanelResult> results = last.get();
    List<String> failures = DashboardCheck.failures(results);
    assertTrue(settled, "failures: " + String.join("\n", failures));
    long withQueries = dashboard.panels().stream().filter(p -> p.path("targets").size() > 0).count();
    assertEquals(withQueries, results.size(), "one result per panel with queries");
    for (DashboardCheck.PanelResult r : results) {
      boolean added = r.title().equals("Nobody exports this") || r.title().equals("Unfilled variable");
      assertEquals(!added, r.hasData(), r.title() + ": " + r.queries());
      r.queries().forEach(q -> assertTrue(added || q.series() > 0, r.title() + " " + q));
    }
    assertEquals(List.of("panel \"Nobody exports this\" A: `" + NOBODY + "` returned no data",
        "panel \"Unfilled variable\" A: `" + UNFILLED + "` template variable $instance has no value (known: "
            + vars.keySet() + ")"), failures);
    assertFalse(results.get(0).queries().get(0).sent().contains("$"), "variables substituted");
  }
}
