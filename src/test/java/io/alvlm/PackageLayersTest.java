package io.alvlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main stand in layers, each importing only layers below it: no arrow runs up,
 * so there is no cycle, and packages on one layer (the pool, the trainer and the embedder among
 * them) know nothing of each other. Reads every import and fully-qualified name of src/main.
 */
class PackageLayersTest {
  /** Bottom first. A new package takes its place here, on the lowest layer above everything it uses. */
  static final List<Set<String>> LAYERS = List.of(
      Set.of("data", "serde", "http"),
      Set.of("clip", "selection", "broker"),
      Set.of("coop", "review", "stopping"),
      Set.of("config", "eval"),
      Set.of("topics"),
      Set.of("stream"),
      Set.of("pool", "trainer", "embedder"),
      Set.of("service"),
      Set.of("annotate"),
      Set.of("labels", "demo"),
      Set.of("chaos"),
      Set.of("soak"),
      Set.of("bench"),
      Set.of("cli"));
  /** Generated from schemas/: every layer may use the records. */
  static final Set<String> SHARED = Set.of("avro");
  private static final Path MAIN = Path.of("src/main/java/io/alvlm");
  private static final Pattern PACKAGE = Pattern.compile("^package io\\.alvlm\\.(\\w+)", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.alvlm\\.(\\w+)\\.");

  /** package -> the other packages its files import or name. */
  static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(MAIN)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path f : files) {
      String src = Files.readString(f);
      Matcher pm = PACKAGE.matcher(src);
      assertTrue(pm.find(), f + " has no io.alvlm package line");
      String pkg = pm.group(1);
      String code = src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
      Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
      Matcher m = REFERENCE.matcher(code);
      while (m.find()) {
        if (!m.group(1).equals(pkg) && !SHARED.contains(m.group(1))) used.add(m.group(1));
      }
    }
    return uses;
  }

  private static int layer(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) return i;
    }
    return -1;
  }

  @Test
  void everyPackageHasItsLayer() throws IOException {
    Set<String> unplaced = new TreeSet<>(uses().keySet());
    unplaced.removeIf(p -> layer(p) >= 0);
    assertEquals(Set.of(), unplaced, "packages of src/main missing from LAYERS");
  }

  @Test
  void noPackageUsesOneOnItsOwnLayerOrAbove() throws IOException {
    List<String> upward = new ArrayList<>();
    uses().forEach((pkg, used) -> used.forEach(u -> {
      if (layer(u) >= layer(pkg)) upward.add(pkg + " -> " + u);
    }));
    assertEquals(List.of(), upward, "arrows that do not run down the layers");
  }

  /** What {@code alvlm run} loads: none of it may use the embedded broker, which its image does not ship. */
  static final Set<String> SERVICE_PATH = Set.of("data", "serde", "http", "clip", "selection", "coop", "config", "topics",
      "stream", "pool", "trainer", "embedder", "service");

  @Test
  void theServiceNeverUsesTheEmbeddedBroker() throws IOException {
    List<String> users = new ArrayList<>();
    uses().forEach((pkg, used) -> {
      if (SERVICE_PATH.contains(pkg) && used.contains("broker")) users.add(pkg);
    });
    assertEquals(List.of(), users, "service packages that use the embedded broker");
  }

  @Test
  void poolTrainerAndEmbedderKnowNothingOfEachOther() throws IOException {
    Map<String, Set<String>> uses = uses();
    for (String a : List.of("pool", "trainer", "embedder")) {
      for (String b : List.of("pool", "trainer", "embedder")) {
        assertTrue(a.equals(b) || !uses.getOrDefault(a, Set.of()).contains(b), a + " uses " + b);
      }
    }
  }
}
