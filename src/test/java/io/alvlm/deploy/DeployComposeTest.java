package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker/compose.yaml parses, references what exists, and runs each role as the code expects. */
class DeployComposeTest {
  private static final List<String> ROLES = List.of("embedder", "pool", "trainer");

  @Test
  @SuppressWarnings("unchecked")
  void everyServiceHasAPinnedImageOrABuildThatExists() throws Exception {
    for (var e : ComposeFile.read().services().entrySet()) {
      Map<String, Object> s = e.getValue();
      if (s.get("build") instanceof Map<?, ?> build) {
        Path context = ComposeFile.hostPath(String.valueOf(build.get("context")));
        assertTrue(Files.isDirectory(context), e.getKey() + ": build context " + context);
        Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
        assertTrue(Files.isRegularFile(dockerfile), e.getKey() + ": " + dockerfile);
      } else {
        String image = String.valueOf(s.get("image"));
        assertTrue(DeployDockerfileTest.pinned(image), e.getKey() + ": image " + image + " has no pinned tag");
      }
    }
  }

  @Test
  void hostPathsExist() throws Exception {
    for (var e : ComposeFile.read().services().entrySet()) {
      for (String v : ComposeFile.list(e.getValue(), "volumes")) {
        String source = v.split(":(?=/)")[0];
        if (source.startsWith(".") || source.startsWith("$")) {
          assertTrue(Files.exists(ComposeFile.hostPath(source)), e.getKey() + ": " + source);
        }
      }
    }
  }

  @Test
  void eachRoleIsAServiceWithItsOwnApplicationId() throws Exception {
    ComposeFile compose = ComposeFile.read();
    Set<String> ids = new HashSet<>();
    for (String role : ROLES) {
      Map<String, Object> s = compose.service(role);
      assertEquals(List.of("run", "--role", role), ComposeFile.list(s, "command"));
      Map<String, String> env = ComposeFile.environment(s);
      Set<String> unread = new TreeSet<>(env.keySet());
      unread.removeIf(AppEnvironment::serviceReads);
      assertTrue(unread.isEmpty(), role + " sets variables alvlm does not read: " + unread);
      ServiceConfig c = ServiceConfig.load(null, env, Map.of(Settings.ROLE.key(), role));
      assertTrue(ids.add(c.get(Settings.APPLICATION_ID)), role + ": application.id shared with another role");
      assertEquals(io.alvlm.serde.WireFormat.CONFLUENT, c.get(Settings.SERDE_FORMAT));
      int port = c.get(Settings.HTTP_PORT);
      assertTrue(ComposeFile.list(s, "ports").stream().allMatch(p -> p.endsWith(":" + port)), role + " publishes http.port " + port);
      assertTrue(ComposeFile.list(s, "volumes").stream().anyMatch(v -> v.endsWith(":/var/lib/alvlm")), role + " keeps its state");
    }
    assertTrue(String.valueOf(compose.service("kafka").get("environment")).contains("KAFKA_PROCESS_ROLES=broker,controller"), "KRaft");
    assertTrue(String.valueOf(compose.service("schema-registry").get("image")).startsWith("confluentinc/cp-schema-registry:"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryRoleOnItsHttpPort() throws Exception {
    ComposeFile compose = ComposeFile.read();
    assertTrue(ComposeFile.list(compose.service("prometheus"), "volumes").contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
    Map<String, Object> prom = ComposeFile.yaml(Repo.path("docker/prometheus/prometheus.yml"));
    Set<String> targets = new TreeSet<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
      assertEquals(HttpEndpoints.METRICS, job.getOrDefault("metrics_path", "/metrics"));
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        targets.addAll((List<String>) sc.get("targets"));
      }
    }
    Set<String> expected = new TreeSet<>();
    for (String role : ROLES) {
      Map<String, String> env = ComposeFile.environment(compose.service(role));
      expected.add(role + ":" + ServiceConfig.load(null, env, Map.of()).get(Settings.HTTP_PORT));
    }
    assertEquals(expected, targets);
  }

  @Test
  @SuppressWarnings("unchecked")
  void grafanaIsProvisionedWithTheDashboardAndPrometheus() throws Exception {
    List<String> mounts = ComposeFile.list(ComposeFile.read().service("grafana"), "volumes");
    assertTrue(mounts.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"));
    String dashboardMount = mounts.stream().filter(m -> m.startsWith("./grafana/alvlm.json:")).findFirst().orElseThrow();
    String inContainer = dashboardMount.split(":")[1];
    Map<String, Object> dashboards = ComposeFile.yaml(Repo.path("docker/grafana/provisioning/dashboards/alvlm.yaml"));
    Map<String, Object> provider = ((List<Map<String, Object>>) dashboards.get("providers")).get(0);
    String folder = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
    assertEquals(folder, Path.of(inContainer).getParent().toString(), "provider path holds the mounted dashboard");
    Map<String, Object> ds = ((List<Map<String, Object>>) ComposeFile.yaml(
        Repo.path("docker/grafana/provisioning/datasources/prometheus.yaml")).get("datasources")).get(0);
    assertEquals("http://prometheus:9090", ds.get("url"));
    assertEquals(DeployDashboardTest.DATASOURCE_UID, ds.get("uid"));
  }
}
