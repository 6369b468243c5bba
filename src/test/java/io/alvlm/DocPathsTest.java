package io.alvlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every page the code, the scripts, the deployment files and the docs point a reader to exists in the
 * repository: {@code docs/...} paths named anywhere, and the relative links of the Markdown pages. The
 * README stays a newcomer's page of about 300 lines.
 */
class DocPathsTest {
  private static final Pattern DOC_PATH = Pattern.compile("docs/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.(md|png)");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
  private static final List<String> TEXT_ROOTS = List.of("src/main", "src/test", "bin", "scripts", "docker", "k8s", "bench",
      ".ci", "docs", "README.md", "SECURITY.md");

  private static List<Path> textFiles() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (String root : TEXT_ROOTS) {
      Path p = Path.of(root);
      if (!Files.exists(p)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(p)) {
        s.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".png") && !f.toString().endsWith(".safetensors"))
            .filter(f -> !f.getFileName().toString().equals("DocPathsTest.java")).forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void everyDocsPathNamedAnywhereExists() throws IOException {
    Set<String> missing = new TreeSet<>();
    for (Path f : textFiles()) {
      String text;
      try {
        text = Files.readString(f);
      } catch (java.nio.charset.MalformedInputException binary) {
        continue;
      }
      Matcher m = DOC_PATH.matcher(text);
      while (m.find()) {
        String path = m.group();
        // a page's own relative links are checked below; here the paths named from the repository's root
        boolean fromRoot = m.start() == 0 || "./".indexOf(text.charAt(m.start() - 1)) < 0;
        if (fromRoot && !Files.exists(Path.of(path))) {
          missing.add(f + ": " + path);
        }
      }
    }
    assertEquals(Set.of(), missing, "docs paths that do not exist");
  }

  @Test
  void everyRelativeLinkOfAMarkdownPageResolves() throws IOException {
    Set<String> broken = new TreeSet<>();
    for (Path f : textFiles()) {
      if (!f.toString().endsWith(".md")) {
        continue;
      }
      Matcher m = LINK.matcher(Files.readString(f));
      while (m.find()) {
        String target = m.group(1);
        if (!target.contains("://") && !target.startsWith("mailto:") && !Files.exists(f.resolveSibling(target).normalize())) {
          broken.add(f + " -> " + target);
        }
      }
    }
    assertEquals(Set.of(), broken, "Markdown links to files that do not exist");
  }

  @Test
  void theReadmeIsANewcomersPage() throws IOException {
    int lines = Files.readAllLines(Path.of("README.md")).size();
    assertTrue(lines <= 300, "README.md has " + lines + " lines; details belong in docs/");
  }
}
