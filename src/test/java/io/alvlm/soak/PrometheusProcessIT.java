package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.alvlm.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real prometheus binary: started on the generated config, pointed at new targets while it runs, stopped on close. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrometheusProcessIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void scrapesTheRolesItIsGivenThenOthersAndStopsOnClose(@TempDir Path dir) throws Exception {
    assumeTrue(PrometheusProcess.binary().isPresent(), "prometheus binary not on PATH: apt-get install -y prometheus");
    PrometheusApi api;
    try (PrometheusProcess prometheus = PrometheusProcess.start(dir, Map.of("pool", "127.0.0.1:9"), Duration.ofSeconds(1))) {
      api = prometheus.api();
      Await.until("the pool as the one target", PATIENCE, () -> roles(api).equals("pool@127.0.0.1:9"));
      prometheus.retarget(Map.of("trainer", "127.0.0.1:7"));
      Await.until("the trainer in place of the pool", PATIENCE, () -> roles(api).equals("trainer@127.0.0.1:7"));
      assertEquals("success", api.query("up").path("status").asText());
    }
    assertThrows(IOException.class, api::ready, "prometheus still answers after close");
  }

  private static String roles(PrometheusApi api) throws Exception {
    StringBuilder out = new StringBuilder();
    for (JsonNode t : api.targets()) {
      out.append(out.length() > 0 ? "," : "").append(t.path("labels").path("role").asText()).append('@')
          .append(t.path("labels").path("instance").asText());
    }
    return out.toString();
  }
}
