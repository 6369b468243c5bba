package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsMetricNamesButNotFunctionsLabelsOrKeywords() {
    assertEquals(Set.of("a_sum", "a_count"), PromQl.metricNames(
        "sum by (le, job) (rate(a_sum{x=\"y z\", job=~\"q.*\"}[$__rate_interval])) / sum without (i) (rate(a_count[5m] offset 1h))"));
    assertEquals(Set.of("b"), PromQl.metricNames("max(b) or vector(0) and on(instance) b > bool 2"));
    assertEquals(Set.of("c:rate5m"), PromQl.metricNames("histogram_quantile(0.99, c:rate5m) * 1e3"));
  }
}
