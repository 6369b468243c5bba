package io.alvlm.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Kubernetes manifests read into fabric8's typed model. fabric8 keeps fields it does not know in
 * {@code additionalProperties} instead of failing, so {@link #unknownFields} walks the parsed objects
 * and reports every such field by path; Jackson's FAIL_ON_UNKNOWN_PROPERTIES catches the rest.
 */
final class K8sManifests {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, Class<?>> TYPES = Map.of(
      "v1/Namespace", Namespace.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Service", Service.class,
      "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "apps/v1/Deployment", Deployment.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class);

  private K8sManifests() {}

  /** One parsed document and the file it came from. */
  record Doc(Path file, Object resource) {
    String kind() {
      return resource instanceof HasMetadata h ? h.getKind() : ((PodMonitor) resource).kind();
    }

    String name() {
      return resource instanceof HasMetadata h ? h.getMetadata().getName() : ((PodMonitor) resource).metadata().getName();
    }
  }

  /** The YAML documents of a file as trees (empty documents dropped). */
  static List<JsonNode> trees(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(n -> {
        if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
          out.add(n);
        }
      });
    }
    return out;
  }

  static List<Doc> parse(Path file) throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (JsonNode n : trees(file)) {
      docs.add(new Doc(file, typed(n, file + "")));
    }
    return docs;
  }

  static List<Doc> parseText(String yaml) throws IOException {
    Path tmp = Files.createTempFile("rendered-", ".yaml");
    try {
      Files.writeString(tmp, yaml);
      return parse(tmp);
    } finally {
      Files.delete(tmp);
    }
  }

  static Object typed(JsonNode n, String where) throws IOException {
    String key = n.path("apiVersion").asText() + "/" + n.path("kind").asText();
    Class<?> type = TYPES.get(key);
    if (type == null) {
      throw new IllegalArgumentException(where + ": no typed model for " + key + " (add it to K8sManifests.TYPES)");
    }
    return YAML.treeToValue(n, type);
  }

  /** Every manifest under k8s/base (kustomization.yaml excluded), parsed. */
  static List<Doc> base() throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (Path f : yamlFiles(Repo.path("k8s/base"))) {
      if (!f.getFileName().toString().equals("kustomization.yaml")) {
        docs.addAll(parse(f));
      }
    }
    return docs;
  }

  static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  static <T> List<T> ofType(List<Doc> docs, Class<T> type) {
    return docs.stream().map(Doc::resource).filter(type::isInstance).map(type::cast).toList();
  }

  /** Paths of fields the typed model did not know (kept in an additionalProperties map). */
  static List<String> unknownFields(Object root) {
    List<String> out = new ArrayList<>();
    walk(root, "", out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        walk(x, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    if (o instanceof Record r) {
      for (var c : r.getClass().getRecordComponents()) {
        walk(invoke(c.getAccessor(), o), path + "." + c.getName(), out, seen);
      }
      return;
    }
    if (!o.getClass().getPackageName().startsWith("io.fabric8")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
        continue;
      }
      Object v = invoke(m, o);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> out.add(path + "." + k));
        }
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      walk(v, path + "." + field, out, seen);
    }
  }

  private static Object invoke(Method m, Object o) {
    try {
      return m.invoke(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(m + ": " + e, e);
    }
  }

  static JsonNode asTree(Object o) {
    return YAML.valueToTree(o);
  }

  static ObjectNode object(JsonNode n) {
    return (ObjectNode) n;
  }
}
