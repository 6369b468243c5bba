package io.alvlm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.alvlm.selection.Budget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a configuration may say, and the one line that names what it got wrong. */
class ServiceConfigTest {
  @TempDir Path dir;

  private static String refusal(Map<String, String> env, Map<String, String> values) {
    return assertThrows(IllegalArgumentException.class, () -> ServiceConfig.load(null, env, values)).getMessage();
  }

  @Test
  void mistypedEnvironmentVariableIsRefusedLikeAnUnknownKey() {
    assertEquals("bad configuration: unknown environment variable ALVLM_QUERY_BUDJET (no setting query.budjet; "
        + "alvlm run --list-settings names each one's variable)", refusal(Map.of("ALVLM_QUERY_BUDJET", "3"), Map.of()));
    assertEquals("bad configuration: unknown setting 'query.budjet' (see alvlm run --list-settings)",
        refusal(Map.of(), Map.of("query.budjet", "30")));
  }

  @Test
  void settingsPassThroughAndLauncherVariablesAreAccepted() {
    ServiceConfig c = ServiceConfig.load(null, Map.of("ALVLM_QUERY_BUDGET", "3", "ALVLM_KAFKA_LINGER_MS", "5",
        "ALVLM_MALLOC", "glibc", "ALVLM_JAVA_OPTS", "-Xmx1g", "ALVLM_DEBUG", "1", "PATH", "/bin"), Map.of());
    assertEquals(3, c.get(Settings.QUERY_BUDGET).images(100, 10));
    assertEquals("5", c.withPrefix("kafka.").get("linger.ms"));
  }

  @Test
  void portsOutsideTheirRangeAreRefused() {
    assertEquals("bad configuration: http.port=99999: want a port from 0 (any free port) to 65535, or -1 (off)",
        refusal(Map.of(), Map.of("http.port", "99999")));
    assertEquals("bad configuration: annotate.port=-1: want a port from 0 (any free port) to 65535",
        refusal(Map.of(), Map.of("annotate.port", "-1")));
    assertEquals("bad configuration: http.port=eighty: want a port from 0 (any free port) to 65535, or -1 (off)",
        refusal(Map.of(), Map.of("http.port", "eighty")));
    assertEquals(-1, ServiceConfig.of(Map.of("http.port", "-1")).get(Settings.HTTP_PORT));
    assertEquals(65535, ServiceConfig.of(Map.of("annotate.port", "65535")).get(Settings.ANNOTATE_PORT));
  }

  @Test
  void budgetFollowsTheOneGrammar() {
    assertEquals("bad configuration: query.budget=0: " + Budget.GRAMMAR, refusal(Map.of(), Map.of("query.budget", "0")));
    assertEquals("bad configuration: query.budget=0.5: " + Budget.GRAMMAR, refusal(Map.of(), Map.of("query.budget", "0.5")));
    assertEquals(Budget.Kind.PER_CLASS, ServiceConfig.of(Map.of("query.budget", "2/class")).get(Settings.QUERY_BUDGET).kind());
  }

  @Test
  void openBelowIsOffOrACount() {
    assertEquals(0, ServiceConfig.defaults().get(Settings.QUERY_OPEN_BELOW));
    assertEquals("bad configuration: query.open-below=-1: want 0 (off) or a number of open requests",
        refusal(Map.of(), Map.of("query.open-below", "-1")));
  }

  @Test
  void missingConfigFileIsNamed() {
    Path nope = dir.resolve("nope.properties");
    assertEquals("cannot read config file " + nope + ": no such file",
        assertThrows(IllegalArgumentException.class, () -> ServiceConfig.load(nope, Map.of(), Map.of())).getMessage());
  }

  @Test
  void everyLauncherVariableIsOutsideTheSettingsNamespace() {
    for (String name : ServiceConfig.NOT_SETTINGS) {
      assertEquals(0, Settings.all().stream().filter(s -> s.envName().equals(name)).count(), name);
    }
  }
}
