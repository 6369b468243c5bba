package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.Setting;
import io.alvlm.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README documents every environment variable the app reads, and every ALVLM_* variable named in
 * README, docker/ and k8s/ is one the app (or bin/alvlm) reads. Adding a setting without updating the
 * README's generated table fails here.
 */
class DeployEnvironmentTest {
  static final String BEGIN = "<!-- settings:begin";
  static final String END = "<!-- settings:end -->";

  /** The README's settings table, as generated from {@link Settings#all()}. */
  static String settingsTable() {
    StringBuilder b = new StringBuilder("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
    for (Setting<?> s : Settings.all()) {
      String def = s.defaultValue().replace(System.getProperty("user.home"), "~");
      b.append("| `").append(s.key()).append("` | `").append(s.envName()).append("` | ")
          .append(def.isEmpty() ? "—" : "`" + def + "`").append(" | ").append(s.doc().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }

  @Test
  void readmeTableListsEverySetting() throws Exception {
    String readme = Files.readString(Repo.path("README.md"));
    String expected = settingsTable();
    Files.createDirectories(Repo.path("target"));
    Files.writeString(Repo.path("target/readme-settings.md"), expected);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README lacks the " + BEGIN + " ... " + END + " block");
    String actual = readme.substring(readme.indexOf('\n', begin) + 1, end);
    assertEquals(expected, actual, "README settings table is stale: paste target/readme-settings.md between the markers");
  }

  @Test
  void readmeNamesTheVariablesReadOutsideTheSettings() throws Exception {
    String readme = Files.readString(Repo.path("README.md"));
    Stream.of(AppEnvironment.RUNTIME.keySet(), AppEnvironment.LAUNCHER.keySet(), AppEnvironment.passThroughPrefixes())
        .flatMap(java.util.Collection::stream)
        .forEach(v -> assertTrue(readme.contains("`" + v), "README does not document " + v));
  }

  @Test
  void everyAlvlmVariableNamedInDocsAndDeploymentFilesIsRead() throws Exception {
    Pattern name = Pattern.compile("ALVLM_[A-Z0-9_]+");
    Set<String> unknown = new TreeSet<>();
    List<Path> files = Stream.concat(Stream.of(Repo.path("README.md")),
        Stream.concat(K8sManifests.yamlFiles(Repo.path("k8s")).stream(), Files.walk(Repo.path("docker")).filter(Files::isRegularFile)))
        .toList();
    Set<String> composeVariables = Set.copyOf(ComposeFile.interpolated(Files.readString(Repo.path("docker/compose.yaml"))));
    for (Path f : files) {
      for (var m : (Iterable<java.util.regex.MatchResult>) name.matcher(Files.readString(f)).results()::iterator) {
        String v = m.group();
        boolean prefix = v.endsWith("_") && AppEnvironment.passThroughPrefixes().contains(v);
        if (!prefix && !AppEnvironment.serviceReads(v) && !AppEnvironment.LAUNCHER.containsKey(v) && !composeVariables.contains(v)) {
          unknown.add(Repo.root().relativize(f) + ": " + v);
        }
      }
    }
    assertTrue(unknown.isEmpty(), "ALVLM_* variables nothing reads: " + unknown);
  }
}
