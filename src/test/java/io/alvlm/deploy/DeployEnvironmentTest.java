package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.SettingsTable;
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
 * generated table of docs/settings.md fails here.
 */
class DeployEnvironmentTest {
  static final String BEGIN = "<!-- settings:begin";
  static final String END = "<!-- settings:end -->";

  @Test
  void settingsTableListsEverySetting() throws Exception {
    String expected = SettingsTable.markdown(System.getProperty("user.home"));
    Files.createDirectories(Repo.path("target"));
    Files.writeString(Repo.path("target/settings-table.md"), expected);
    String doc = Files.readString(Repo.path("docs/settings.md"));
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/settings.md lacks the " + BEGIN + " ... " + END + " block");
    String actual = doc.substring(doc.indexOf('\n', begin) + 1, end);
    assertEquals(expected, actual, "docs/settings.md's table is stale: paste target/settings-table.md between the markers");
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
