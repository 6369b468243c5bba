package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
}
