package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.alvlm.soak.PrometheusProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The kustomizations: every path they name exists, patches hit existing resources and containers,
 * the overlays pin the image, and gpu (only gpu) requests nvidia.com/gpu. When {@code kubectl} is on
 * the PATH the overlays are also rendered with its built-in kustomize and the output parsed.
 */
class ManifestKustomizeTest {
  private static JsonNode kustomization(Path dir) throws Exception {
    return K8sManifests.trees(dir.resolve("kustomization.yaml")).get(0);
  }

  @Test
  void baseListsEveryManifestItHas() throws Exception {
    Path base = Repo.path("k8s/base");
    List<String> listed = new ArrayList<>();
    kustomization(base).path("resources").forEach(r -> listed.add(r.asText()));
    List<String> present = K8sManifests.yamlFiles(base).stream().map(p -> base.relativize(p).toString())
        .filter(p -> !p.equals("kustomization.yaml")).sorted().toList();
    assertEquals(present, listed.stream().sorted().toList());
    assertEquals("alvlm", kustomization(base).path("namespace").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void overlayPatchesTargetWhatTheBaseHas(String overlay) throws Exception {
    Path dir = Repo.path("k8s/overlays/" + overlay);
    JsonNode k = kustomization(dir);
    k.path("resources").forEach(r -> assertTrue(Files.isRegularFile(dir.resolve(r.asText()).resolve("kustomization.yaml")),
        overlay + ": resource " + r.asText()));
    List<K8sManifests.Doc> base = K8sManifests.base();
    assertTrue(k.path("patches").size() > 0, overlay + " patches nothing");
    for (JsonNode p : k.path("patches")) {
      Path file = dir.resolve(p.path("path").asText());
      assertTrue(Files.isRegularFile(file), overlay + ": patch " + file);
      for (K8sManifests.Doc patch : K8sManifests.parse(file)) {
        StatefulSet target = K8sManifests.ofType(base, StatefulSet.class).stream()
            .filter(s -> s.getMetadata().getName().equals(patch.name())).findFirst()
            .orElseThrow(() -> new AssertionError(file + ": no " + patch.kind() + "/" + patch.name() + " in the base"));
        var spec = ((StatefulSet) patch.resource()).getSpec().getTemplate().getSpec();
        Set<String> containers = names(target.getSpec().getTemplate().getSpec().getContainers());
        spec.getContainers().forEach(c -> assertTrue(containers.contains(c.getName()), file + ": container " + c.getName()));
        Set<String> volumes = target.getSpec().getTemplate().getSpec().getVolumes().stream().map(v -> v.getName()).collect(Collectors.toSet());
        spec.getVolumes().forEach(v -> assertTrue(volumes.contains(v.getName()), file + ": volume " + v.getName()));
      }
    }
    JsonNode image = k.path("images").path(0);
    assertEquals("alvlm", image.path("name").asText());
    assertTrue(DeployDockerfileTest.pinned(image.path("newName").asText() + ":" + image.path("newTag").asText()), overlay + " pins the image");
  }

  private static Set<String> names(List<Container> cs) {
    return cs.stream().map(Container::getName).collect(Collectors.toSet());
  }

  @Test
  void onlyTheGpuOverlayRequestsGpusForEmbedderAndTrainer() throws Exception {
    assertEquals(Set.of("alvlm-embedder", "alvlm-trainer"), gpuRequesters(patches("gpu")));
    assertEquals(Set.of(), gpuRequesters(patches("cpu")));
    assertEquals(Set.of(), gpuRequesters(K8sManifests.base()));
  }

  private static List<K8sManifests.Doc> patches(String overlay) throws Exception {
    Path dir = Repo.path("k8s/overlays/" + overlay);
    List<K8sManifests.Doc> out = new ArrayList<>();
    for (JsonNode p : kustomization(dir).path("patches")) {
      out.addAll(K8sManifests.parse(dir.resolve(p.path("path").asText())));
    }
    return out;
  }

  private static Set<String> gpuRequesters(List<K8sManifests.Doc> docs) {
    return K8sManifests.ofType(docs, StatefulSet.class).stream()
        .filter(s -> s.getSpec().getTemplate().getSpec().getContainers().stream().anyMatch(c -> c.getResources() != null
            && c.getResources().getLimits() != null && c.getResources().getLimits().containsKey("nvidia.com/gpu")))
        .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void kubectlRendersTheOverlayIntoKnownFields(String overlay) throws Exception {
    Path kubectl = PrometheusProcess.executable("kubectl").orElse(null);
    assumeTrue(kubectl != null, "kubectl not on PATH: overlays checked statically only");
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", Repo.path("k8s/overlays/" + overlay).toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    List<K8sManifests.Doc> docs = K8sManifests.parseText(out);
    for (K8sManifests.Doc d : docs) {
      assertEquals(List.of(), K8sManifests.unknownFields(d.resource()), d.kind() + "/" + d.name());
      if (d.resource() instanceof HasMetadata h && !d.kind().equals("Namespace")) {
        assertEquals("alvlm", h.getMetadata().getNamespace(), d.kind() + "/" + d.name());
      }
    }
    assertEquals(overlay.equals("gpu") ? Set.of("alvlm-embedder", "alvlm-trainer") : Set.of(), gpuRequesters(docs));
    String tag = overlay.equals("gpu") ? "cuda" : "cpu";
    K8sManifests.ofType(docs, StatefulSet.class).forEach(s -> assertTrue(
        s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith("-" + tag), s.getMetadata().getName()));
  }
}
