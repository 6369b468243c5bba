package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker/Dockerfile and docker/Dockerfile.cuda, checked statically (no Docker engine on the build
 * machines): what they copy exists, images are pinned, and the runtime stage agrees with the code.
 */
class DeployDockerfileTest {
  /** An image reference with an explicit tag (or digest) that is not "latest". */
  static boolean pinned(String image) {
    if (image.contains("@sha256:")) {
      return true;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash && !image.substring(colon + 1).equals("latest") && image.substring(colon + 1).matches(".*\\d.*");
  }

  private static Dockerfile read(String name) throws Exception {
    return Dockerfile.read(Repo.path("docker/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void copiesOnlyWhatTheRepositoryHasAndTheIgnoreFileLetsThrough(String name) throws Exception {
    Dockerfile d = read(name);
    List<String> ignore = Files.readAllLines(Repo.path("docker/" + name + ".dockerignore")).stream()
        .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
    for (String source : d.contextSources()) {
      assertTrue(Files.exists(Repo.path(source)), name + ": COPY " + source + " (context: repository root)");
      assertTrue(ignore.stream().anyMatch(source::startsWith), name + ": " + source + " is excluded by " + name + ".dockerignore");
    }
    assertTrue(d.contextSources().containsAll(List.of("pom.xml", "schemas", "src/main")), name + " copies the build inputs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void everyBaseImageIsPinned(String name) throws Exception {
    for (String from : read(name).args("FROM")) {
      String image = from.split("\\s+")[0];
      boolean stage = read(name).args("FROM").stream().anyMatch(f -> f.endsWith(" AS " + image));
      assertTrue(stage || pinned(image), name + ": FROM " + image + " is not pinned");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void runtimeRunsAsNonRootWithVolumesOfflineDjlAndAReadinessHealthcheck(String name) throws Exception {
    Dockerfile runtime = read(name).runtime();
    String user = runtime.args("USER").get(runtime.args("USER").size() - 1).split(":")[0];
    assertTrue(!user.equals("0") && !user.equals("root"), name + ": USER " + user);
    String volumes = String.join(" ", runtime.args("VOLUME"));
    Map<String, String> env = runtime.env();
    assertEquals("true", env.get("DJL_OFFLINE"), name);
    for (String dir : List.of(env.get("DJL_CACHE_DIR"), env.get(Settings.STATE_DIR.envName()), env.get(Settings.MODEL_DIR.envName()))) {
      assertTrue(volumes.contains("\"" + dir + "\"") || volumes.contains("\"" + Path.of(dir).getParent() + "\""),
          name + ": " + dir + " is on a VOLUME (" + volumes + ")");
    }
    String port = env.getOrDefault(Settings.HTTP_PORT.envName(), Settings.HTTP_PORT.defaultValue());
    assertEquals(List.of(port), runtime.args("EXPOSE"));
    String health = String.join(" ", runtime.args("HEALTHCHECK"));
    assertTrue(health.contains("http://127.0.0.1:" + port + HttpEndpoints.READY), name + ": HEALTHCHECK " + health);
    env.keySet().forEach(k -> assertTrue(AppEnvironment.serviceReads(k) || AppEnvironment.IMAGE_PLUMBING.contains(k),
        name + ": ENV " + k + " is read by nothing"));
    String entry = String.join(" ", runtime.args("ENTRYPOINT"));
    assertTrue(entry.contains("/opt/alvlm/alvlm.jar") && entry.contains("-Dai.djl.offline=true"), entry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void buildStageProducesWhatTheRuntimeCopies(String name) throws Exception {
    String pom = Files.readString(Repo.path("pom.xml"));
    assertTrue(pom.contains("<finalName>alvlm</finalName>") && pom.contains("<outputDirectory>${project.build.directory}/service-lib</outputDirectory>"));
    List<String> copies = read(name).runtime().args("COPY");
    assertTrue(copies.contains("--from=build /src/target/alvlm.jar /opt/alvlm/alvlm.jar"), String.valueOf(copies));
    assertTrue(copies.contains("--from=build /src/target/service-lib /opt/alvlm/lib"), String.valueOf(copies));
    boolean cuda = name.endsWith(".cuda");
    assertTrue(read(name).args("RUN").stream().anyMatch(r -> r.contains("mvn") && r.contains("package") && r.contains("-Pcuda") == cuda),
        name + (cuda ? " builds with -Pcuda" : " builds without -Pcuda"));
    if (cuda) {
      assertTrue(read(name).runtime().args("FROM").get(0).startsWith("nvidia/cuda:12.4"), "CUDA 12.4 runtime base");
      assertTrue(pom.contains("<pytorch.native.artifact>pytorch-native-cu124</pytorch.native.artifact>"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.cuda"})
  void runtimePreloadsTheTcmallocItInstalls(String name) throws Exception {
    Dockerfile runtime = read(name).runtime();
    String preload = runtime.env().get("LD_PRELOAD");
    assertTrue(preload != null && preload.endsWith("/libtcmalloc_minimal.so.4"), name + ": LD_PRELOAD " + preload);
    String run = String.join("\n", runtime.args("RUN"));
    assertTrue(run.contains("libtcmalloc-minimal4"), name + ": installs libtcmalloc-minimal4");
    assertTrue(run.contains(" " + preload), name + ": links " + preload + " to the installed library");
  }
}
