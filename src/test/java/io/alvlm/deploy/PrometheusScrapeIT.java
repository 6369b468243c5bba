package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.alvlm.Await;
import io.alvlm.soak.PrometheusApi;
import io.alvlm.soak.Promtool;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus scrapes a running alvlm ({@link ScrapedService}) and sees every metric the Grafana
 * dashboard reads. Skipped only when the {@code prometheus} binary is absent ({@code .ci/run} installs
 * it). That every panel's query returns data is DashboardCheckIT's.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeIT {
  private static final String DIR = "target/prometheus-it";
  private ScrapedService scraped;
  private PrometheusApi prometheus;

  @BeforeAll
  void startServiceAndPrometheus() throws Exception {
    scraped = ScrapedService.start(DIR);
    prometheus = scraped.prometheus().api();
  }

  @AfterAll
  void stop() throws Exception {
    if (scraped != null) scraped.close();
  }

  @Test
  void scrapesTheServiceAndSeesEveryMetricTheDashboardReads() throws Exception {
    Set<String> wanted = Repo.dashboard().metricNames();
    Set<String> missing = new TreeSet<>(wanted);
    Await.within(ScrapedService.PATIENCE, () -> {
      prometheus.get("/api/v1/label/__name__/values").path("data").forEach(n -> missing.remove(n.asText()));
      return missing.isEmpty();
    });
    Files.writeString(Repo.path(DIR).resolve("scrape.txt"), scraped.service().registry().scrape());
    JsonNode targets = prometheus.targets();
    assertEquals("up", targets.path(0).path("health").asText(), "scrape target: " + targets);
    assertEquals("all", targets.path(0).path("labels").path("role").asText(), "the target's role label: " + targets);
    assertTrue(missing.isEmpty(), "dashboard metrics the app does not export: " + missing
        + " (the app's scrape is in " + DIR + "/scrape.txt)");
  }

  @Test
  void countsTheEmbeddedImageAndTheDeadLetter() throws Exception {
    assertTrue(awaitValue("sum(alvlm_images_embedded_total)") >= 1, "images embedded");
    assertTrue(awaitValue("sum(alvlm_dlq_records_total{stage=\"embedder\"})") >= 1, "dead letters of the embedder");
    assertTrue(awaitValue("sum(alvlm_labels_total{outcome=\"labeled\"})") >= 1, "labels");
  }

  @Test
  void composePrometheusConfigPassesPromtool() throws Exception {
    Promtool.assertAccepts(Repo.path("docker/prometheus/prometheus.yml"));
  }

  /** The first non-empty result of an instant query, waiting for scrapes to catch up. */
  private double awaitValue(String promql) throws Exception {
    JsonNode[] last = {null};
    try {
      return Await.value(promql + " non-empty", ScrapedService.PATIENCE, () -> {
        last[0] = prometheus.query(promql);
        JsonNode result = last[0].path("data").path("result");
        double v = result.size() > 0 ? result.get(0).path("value").path(1).asDouble() : 0;
        return v > 0 ? Optional.of(v) : Optional.empty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(promql + " stayed empty: " + last[0], e);
    }
  }
}
