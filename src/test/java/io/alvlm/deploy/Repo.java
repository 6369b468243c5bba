package io.alvlm.deploy;

import java.nio.file.Files;
import io.alvlm.soak.GrafanaDashboard;
import java.nio.file.Path;

/** Paths in the repository the deployment checks read (tests run with the project root as working directory). */
final class Repo {
  private Repo() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    if (!Files.exists(p.resolve("pom.xml"))) {
      throw new IllegalStateException("run the tests from the project root (no pom.xml in " + p + ")");
    }
    return p;
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  /** The project's Grafana dashboard. */
  static GrafanaDashboard dashboard() throws java.io.IOException {
    return GrafanaDashboard.read(path(GrafanaDashboard.FILE.toString()));
  }
}
