package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every manifest under k8s/ parses into the typed Kubernetes model, field for field. */
class ManifestModelTest {
  @Test
  void everyBaseManifestParsesWithNoUnknownField() throws Exception {
    List<String> problems = new ArrayList<>();
    List<K8sManifests.Doc> docs = K8sManifests.base();
    for (K8sManifests.Doc d : docs) {
      K8sManifests.unknownFields(d.resource()).forEach(f -> problems.add(d.file() + " " + d.kind() + "/" + d.name() + f));
    }
    assertTrue(problems.isEmpty(), "fields the Kubernetes model does not know: " + problems);
    assertTrue(docs.size() >= 10, "expected the whole base, got " + docs.size() + " documents");
  }

  @Test
  void overlayPatchesParseWithNoUnknownField() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Path f : K8sManifests.yamlFiles(Repo.path("k8s/overlays"))) {
      if (f.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      for (K8sManifests.Doc d : K8sManifests.parse(f)) {
        K8sManifests.unknownFields(d.resource()).forEach(x -> problems.add(f + x));
      }
    }
    assertTrue(problems.isEmpty(), "fields the Kubernetes model does not know: " + problems);
  }

  @Test
  void aMisspeltFieldIsCaught() throws Exception {
    String yaml = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: x}
        spec:
          replica: 2
          template:
            spec:
              containers: [{name: c, image: i, readinesProbe: {}}]
        """;
    List<String> unknown = K8sManifests.unknownFields(K8sManifests.parseText(yaml).get(0).resource());
    assertEquals(List.of(".spec.replica", ".spec.template.spec.containers[0].readinesProbe"), unknown.stream().sorted().toList());
    String monitor = """
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata: {name: x}
        spec: {selector: {}, podMetricsEndpoints: [{port: http, pth: /metrics}]}
        """;
    assertThrows(UnrecognizedPropertyException.class, () -> K8sManifests.parseText(monitor));
  }

  @Test
  void podMonitorScrapesTheHttpPortAtMetrics() throws Exception {
    List<PodMonitor> monitors = K8sManifests.ofType(K8sManifests.base(), PodMonitor.class);
    assertEquals(1, monitors.size());
    PodMonitor m = monitors.get(0);
    assertFalse(m.spec().podMetricsEndpoints().isEmpty());
    for (PodMonitor.Endpoint e : m.spec().podMetricsEndpoints()) {
      assertEquals("http", e.port());
      assertEquals(HttpEndpoints.METRICS, e.path());
    }
  }
}
