package io.alvlm.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** docker/compose.yaml as plain maps (SnakeYAML resolves its anchors and merge keys as compose does). */
record ComposeFile(Map<String, Object> root) {
  static final Path DIR = Path.of("docker");
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{(\\w+):?-([^}]*)}");

  static ComposeFile read() throws IOException {
    try (Reader r = Files.newBufferedReader(Repo.path("docker/compose.yaml"))) {
      return new ComposeFile(new Yaml().load(r));
    }
  }

  static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return new Yaml().load(r);
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) root.get("services");
  }

  Map<String, Object> service(String name) {
    Map<String, Object> s = services().get(name);
    if (s == null) {
      throw new AssertionError("compose.yaml has no service " + name);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, Object> env = (Map<String, Object>) service.getOrDefault("environment", Map.of());
    Map<String, String> out = new java.util.TreeMap<>();
    env.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Map<String, Object> service, String key) {
    return ((List<Object>) service.getOrDefault(key, List.of())).stream().map(String::valueOf).toList();
  }

  /** A path as compose would resolve it from docker/, with {@code ${VAR:-default}} taking its default. */
  static Path hostPath(String spec) {
    Matcher m = DEFAULTED.matcher(spec);
    String resolved = m.replaceAll(r -> Matcher.quoteReplacement(r.group(2)));
    return Repo.path(DIR.resolve(resolved).toString()).normalize();
  }

  /** Variables compose substitutes when it reads the file ({@code ${NAME...}}), not passed to containers. */
  static List<String> interpolated(String text) {
    return Pattern.compile("\\$\\{(\\w+)").matcher(text).results().map(r -> r.group(1)).distinct().toList();
  }
}
