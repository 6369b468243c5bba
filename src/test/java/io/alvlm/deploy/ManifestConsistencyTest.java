package io.alvlm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The k8s/base manifests agree with each other and with the code: labels, ports, probes, env, roles. */
class ManifestConsistencyTest {
  private static List<K8sManifests.Doc> docs;
  private static List<StatefulSet> workloads;
  private static Map<String, String> configMap;

  @BeforeAll
  static void read() throws Exception {
    docs = K8sManifests.base();
    workloads = K8sManifests.ofType(docs, StatefulSet.class);
    List<ConfigMap> cms = K8sManifests.ofType(docs, ConfigMap.class);
    assertEquals(1, cms.size(), "one ConfigMap");
    configMap = cms.get(0).getData();
  }

  private static StatefulSet workload(String role) {
    return workloads.stream().filter(s -> s.getMetadata().getName().equals("alvlm-" + role)).findFirst()
        .orElseThrow(() -> new AssertionError("no StatefulSet alvlm-" + role));
  }

  private static Container alvlm(StatefulSet s) {
    return s.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  /** The container's environment as the pod sees it: ConfigMap first, then env (valueFrom shown as a placeholder). */
  private static Map<String, String> environment(Container c) {
    Map<String, String> env = new HashMap<>();
    c.getEnvFrom().forEach(f -> {
      assertEquals("alvlm-config", f.getConfigMapRef().getName(), "envFrom names the ConfigMap");
      env.putAll(configMap);
    });
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue() != null ? e.getValue() : "from-" + e.getName().toLowerCase());
    }
    return env;
  }

  @Test
  void selectorsMatchTheirPods() {
    List<Map<String, String>> podLabels = new ArrayList<>();
    for (StatefulSet s : workloads) {
      Map<String, String> labels = s.getSpec().getTemplate().getMetadata().getLabels();
      assertTrue(matches(s.getSpec().getSelector().getMatchLabels(), labels), s.getMetadata().getName() + " selector");
      podLabels.add(labels);
    }
    for (Service svc : K8sManifests.ofType(docs, Service.class)) {
      assertEquals(1, podLabels.stream().filter(l -> matches(svc.getSpec().getSelector(), l)).count(),
          "Service " + svc.getMetadata().getName() + " selects exactly one workload's pods");
    }
    for (PodDisruptionBudget b : K8sManifests.ofType(docs, PodDisruptionBudget.class)) {
      assertEquals(1, podLabels.stream().filter(l -> matches(b.getSpec().getSelector().getMatchLabels(), l)).count(),
          "PDB " + b.getMetadata().getName());
    }
    PodMonitor m = K8sManifests.ofType(docs, PodMonitor.class).get(0);
    assertEquals(workloads.size(), podLabels.stream().filter(l -> matches(m.spec().selector().getMatchLabels(), l)).count(),
        "the PodMonitor scrapes every workload");
  }

  @Test
  void statefulSetsNameAHeadlessService() {
    Set<String> headless = new HashSet<>();
    K8sManifests.ofType(docs, Service.class).stream().filter(s -> "None".equals(s.getSpec().getClusterIP()))
        .forEach(s -> headless.add(s.getMetadata().getName()));
    workloads.forEach(s -> assertTrue(headless.contains(s.getSpec().getServiceName()), s.getMetadata().getName()));
  }

  @Test
  void portsAndProbesAgreeWithTheCode() throws Exception {
    for (StatefulSet s : workloads) {
      Container c = alvlm(s);
      int port = Integer.parseInt(environment(c).getOrDefault(Settings.HTTP_PORT.envName(), Settings.HTTP_PORT.defaultValue()));
      assertEquals(port, c.getPorts().get(0).getContainerPort(), s.getMetadata().getName());
      assertEquals("http", c.getPorts().get(0).getName());
      assertProbe(c.getReadinessProbe(), HttpEndpoints.READY, s);
      assertProbe(c.getLivenessProbe(), HttpEndpoints.LIVE, s);
      assertProbe(c.getStartupProbe(), HttpEndpoints.LIVE, s);
    }
    for (Service svc : K8sManifests.ofType(docs, Service.class)) {
      assertEquals("http", svc.getSpec().getPorts().get(0).getTargetPort().getStrVal(), svc.getMetadata().getName());
    }
    assertEquals(200, HttpEndpoints.status(HttpEndpoints.METRICS));
  }

  private static void assertProbe(Probe p, String path, StatefulSet s) throws Exception {
    assertNotNull(p, s.getMetadata().getName() + " probe for " + path);
    HTTPGetAction get = p.getHttpGet();
    assertEquals(path, get.getPath(), s.getMetadata().getName());
    assertEquals("http", get.getPort().getStrVal());
    assertNotEquals(404, HttpEndpoints.status(get.getPath()), get.getPath() + " is served by HttpApi");
  }

  @Test
  void eachRoleRunsAsItsOwnStreamsApplication() {
    Set<String> ids = new HashSet<>();
    for (String role : List.of("pool", "embedder", "trainer")) {
      Container c = alvlm(workload(role));
      assertEquals(List.of("run", "--role", role), c.getArgs());
      Map<String, String> env = environment(c);
      assertTrue(ids.add(env.get(Settings.APPLICATION_ID.envName())), role + ": application.id shared with another role");
      Map<String, String> overrides = new HashMap<>(Map.of(Settings.ROLE.key(), role));
      ServiceConfig config = ServiceConfig.load(null, env, overrides);
      assertEquals(role, io.alvlm.config.Setting.name(config.get(Settings.ROLE)));
      assertFalse(config.classNames().isEmpty());
    }
  }

  @Test
  void everyVariableSetIsOneTheAppReads() {
    List<String> unread = new ArrayList<>();
    configMap.keySet().stream().filter(k -> !AppEnvironment.serviceReads(k)).forEach(unread::add);
    workloads.forEach(s -> alvlm(s).getEnv().stream().map(EnvVar::getName).filter(k -> !AppEnvironment.serviceReads(k))
        .forEach(k -> unread.add(s.getMetadata().getName() + ": " + k)));
    assertTrue(unread.isEmpty(), "set but never read by alvlm: " + unread);
  }

  @Test
  void credentialsComeFromSecretsNeverInline() {
    assertTrue(docs.stream().noneMatch(d -> d.kind().equals("Secret")), "no Secret in the manifests");
    Set<String> secretish = Set.of("JAAS", "PASSWORD", "USER_INFO", "TOKEN", "SECRET");
    configMap.keySet().forEach(k -> assertTrue(secretish.stream().noneMatch(k::contains), "ConfigMap holds " + k));
    for (StatefulSet s : workloads) {
      for (EnvVar e : alvlm(s).getEnv()) {
        if (secretish.stream().anyMatch(e.getName()::contains)) {
          assertNotNull(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef(), e.getName() + " from a Secret");
        }
      }
    }
  }

  @Test
  void poolKeepsAStandbyAndItsStateThroughRestarts() {
    StatefulSet pool = workload("pool");
    Map<String, String> env = environment(alvlm(pool));
    assertTrue(pool.getSpec().getReplicas() >= 2, "active + standby");
    assertTrue(Integer.parseInt(env.get("ALVLM_KAFKA_NUM_STANDBY_REPLICAS")) >= 1);
    assertTrue(pool.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() >= 120, "generous grace");
    String stateDir = env.get(Settings.STATE_DIR.envName());
    assertTrue(alvlm(pool).getVolumeMounts().stream().anyMatch(m -> m.getName().equals("state") && stateDir.startsWith(m.getMountPath())),
        "state.dir " + stateDir + " is on the state PVC");
    assertEquals("state", pool.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
  }

  @Test
  void onlyThePoolRunsOnGlibcMalloc() {
    // the images preload tcmalloc (DeployDockerfileTest); the pool's measured resident set is glibc's
    assertEquals("", environment(alvlm(workload("pool"))).get("LD_PRELOAD"));
    for (String role : List.of("embedder", "trainer")) {
      assertFalse(environment(alvlm(workload(role))).containsKey("LD_PRELOAD"), role + " keeps the image's tcmalloc");
    }
  }

  @Test
  void everyMemberIsStaticAndPodsGetNoServiceLinks() {
    for (StatefulSet s : workloads) {
      PodTemplateSpec t = s.getSpec().getTemplate();
      // a Service named alvlm-* would otherwise inject ALVLM_*_PORT variables into every pod
      assertEquals(Boolean.FALSE, t.getSpec().getEnableServiceLinks(), s.getMetadata().getName());
      EnvVar id = alvlm(s).getEnv().stream().filter(e -> e.getName().equals("ALVLM_KAFKA_GROUP_INSTANCE_ID")).findFirst()
          .orElseThrow(() -> new AssertionError(s.getMetadata().getName() + ": no static membership"));
      assertEquals("metadata.name", id.getValueFrom().getFieldRef().getFieldPath());
      assertTrue(t.getSpec().getSecurityContext().getRunAsNonRoot());
    }
  }

  @Test
  void embedderScalesNoFurtherThanThePartitions() {
    int partitions = Integer.parseInt(configMap.get(Settings.IMAGES_PARTITIONS.envName()));
    assertTrue(workload("embedder").getSpec().getReplicas() <= partitions);
  }
}
