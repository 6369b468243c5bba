package io.alvlm.soak;

import io.alvlm.broker.SchemaRegistryStandIn;
import io.alvlm.chaos.ChaosSettings;
import io.alvlm.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of a soak's roles: the chaos run's (tiny CLIP, short ticks and waits, a member gone
 * after 6 s), Confluent's wire format against the soak's registry, rounds every 5 s asking four times
 * as many images as arrive in that time (so that the annotator keeps up and the loop comes to rest once
 * the feed stops), one Streams application per role as in docker/compose.yaml, and each process's own
 * state folder and HTTP port.
 */
final class SoakSettings {
  static final String TOKEN = "soak-annotator-token-0001";
  static final String ANNOTATOR = "soak";

  private SoakSettings() {}

  /** Serde settings of everything that talks to the soak's registry. */
  static Map<String, Object> serde(String registryUrl) {
    return Map.of(SerdeConfig.FORMAT, "confluent", SerdeConfig.REGISTRY_URL, registryUrl,
        SerdeConfig.BASIC_AUTH_USER_INFO, SchemaRegistryStandIn.USER + ":" + SchemaRegistryStandIn.PASSWORD);
  }

  /** What every role shares. */
  static Map<String, String> common(Path home, Path dir, String bootstrap, String registryUrl, double rate) {
    int perRound = (int) Math.max(20, Math.ceil(rate * 20));
    Map<String, String> s = new TreeMap<>(ChaosSettings.of(home, dir.resolve("state"), perRound, bootstrap));
    serde(registryUrl).forEach((k, v) -> s.put(k, v.toString()));
    s.put("query.budget", Integer.toString(perRound));
    s.put("train.epochs", "1");
    return s;
  }

  /**
   * @param name the process ({@code embedder-1}, {@code pool}, ...): its state folder
   * @param role the role ({@code embedder}, ..., {@code workbench}): its Streams application or group
   */
  static Map<String, String> forProcess(Map<String, String> common, Path dir, String name, String role, int port) {
    Map<String, String> s = new TreeMap<>(common);
    s.put("state.dir", dir.resolve("state").resolve(name).toAbsolutePath().toString());
    if (role.equals("workbench")) {
      s.put("annotate.port", Integer.toString(port));
      s.put("annotate.tokens", ANNOTATOR + "=" + TOKEN);
      s.put("annotate.group", "alvlm-workbench");
    } else {
      s.put("application.id", "alvlm-" + role);
      s.put("role", role);
      s.put("http.port", Integer.toString(port));
    }
    return s;
  }
}
