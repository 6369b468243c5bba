package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardCheckTest {
  private static final Map<String, String> VARS = DashboardCheck.variables(Duration.ofSeconds(5), Duration.ofMinutes(30));

  @Test
  void grafanaIntervalsBecomeDurationsPrometheusParses() {
    assertEquals("5s", VARS.get("__interval"));
    assertEquals("20s", VARS.get("__rate_interval"), "Grafana's rule: max(interval + scrape, 4 × scrape)");
    assertEquals("1800s", VARS.get("__range"));
    assertEquals("1500ms", DashboardCheck.promDuration(Duration.ofMillis(1500)));
    assertEquals("sum(rate(a_total{job=\"alvlm\"}[20s])) / 1800",
        DashboardCheck.substitute("sum(rate(a_total{job=\"$job\"}[$__rate_interval])) / ${__range_s}", VARS));
    assertEquals("x[5s] + x[20s]", DashboardCheck.substitute("x[[[__interval]]] + x[${__rate_interval:text}]", VARS));
  }

  @Test
  void regexAnchorsAreNotVariables() {
    assertEquals("a{x=~\"^b$|c$\"}", DashboardCheck.substitute("a{x=~\"^b$|c$\"}", VARS));
  }

  @Test
  void aVariableWithoutValueIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DashboardCheck.substitute("up{instance=~\"$instance\"}", VARS));
    assertTrue(e.getMessage().startsWith("template variable $instance has no value"), e.getMessage());
  }

  @Test
  void aPanelHasDataOnlyWhenEveryQueryHas() {
    DashboardCheck.QueryResult some = new DashboardCheck.QueryResult("A", "up", "up", 2, null);
    DashboardCheck.QueryResult none = new DashboardCheck.QueryResult("B", "nope", "nope", 0, null);
    DashboardCheck.QueryResult bad = new DashboardCheck.QueryResult("A", "x[", "x[", 0, "failed in Prometheus: parse error");
    List<DashboardCheck.PanelResult> panels = List.of(new DashboardCheck.PanelResult("Up", List.of(some)),
        new DashboardCheck.PanelResult("Half", List.of(some, none)), new DashboardCheck.PanelResult("Broken", List.of(bad)));
    assertEquals(List.of("panel \"Half\" B: `nope` returned no data", "panel \"Broken\" A: `x[` failed in Prometheus: parse error"),
        DashboardCheck.failures(panels));
    assertEquals("dashboard: 1/3 panels with data; no data: \"Half\", \"Broken\"", DashboardCheck.summary(panels));
    assertEquals("dashboard: 1/1 panels with data", DashboardCheck.summary(panels.subList(0, 1)));
  }
}
