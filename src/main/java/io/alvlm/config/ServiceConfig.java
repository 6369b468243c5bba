package io.alvlm.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The service's configuration: the defaults of {@link Settings}, overridden by a properties file,
 * then by {@code ALVLM_*} environment variables, then by explicit overrides (command-line flags).
 * Keys under {@code kafka.} pass through to every Kafka client and Streams ({@code kafka.security.protocol},
 * {@code kafka.sasl.jaas.config}, ...); keys under {@code schema.registry.} go to the registry client.
 * An unknown key is an error, so a typo does not silently fall back to a default.
 */
public final class ServiceConfig {
  /** Prefixes whose keys are passed on rather than read by the service itself. */
  public static final List<String> PASS_THROUGH = List.of("kafka.", "schema.registry.", "serde.");

  /**
   * {@code ALVLM_*} variables that are not settings: read by {@code bin/alvlm}, its benches, the error
   * path and the compose file. Any other {@code ALVLM_*} variable must name a setting.
   */
  public static final List<String> NOT_SETTINGS = List.of("ALVLM_JAVA_OPTS", "ALVLM_MAVEN_ARGS", "ALVLM_MALLOC",
      "ALVLM_MKL_ANY_CPU", "ALVLM_POOL_JVM_OPTS", "ALVLM_DEBUG", "ALVLM_MODEL_HOST_DIR");

  private final Map<String, String> values;

  private ServiceConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static ServiceConfig defaults() {
    return of(Map.of());
  }

  /** Defaults overridden by {@code values}; no environment. */
  public static ServiceConfig of(Map<String, String> values) {
    return load(null, Map.of(), values);
  }

  /**
   * @param file properties file, or null
   * @param env the environment ({@code System.getenv()} in the service)
   * @param overrides last word, e.g. from command-line flags
   */
  public static ServiceConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> v = new LinkedHashMap<>();
    for (Setting<?> s : Settings.all()) {
      v.put(s.key(), s.defaultValue());
    }
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("cannot read config file " + file + ": no such file", e);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
    }
    v.putAll(fromEnvironment(env));
    v.putAll(overrides);
    ServiceConfig c = new ServiceConfig(v);
    c.validate(unknownVariables(env));
    return c;
  }

  /** {@code ALVLM_*} variables that name no setting, no pass-through prefix and none of {@link #NOT_SETTINGS}. */
  static List<String> unknownVariables(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    new TreeMap<>(env).keySet().forEach(name -> {
      boolean setting = Settings.all().stream().anyMatch(s -> s.envName().equals(name));
      boolean passed = PASS_THROUGH.stream().map(Setting::envName)
          .anyMatch(p -> name.startsWith(p) && name.length() > p.length());
      if (name.startsWith("ALVLM_") && !setting && !passed && !NOT_SETTINGS.contains(name)) {
        String key = name.substring("ALVLM_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        problems.add("unknown environment variable " + name + " (no setting " + key
            + "; alvlm run --list-settings names each one's variable)");
      }
    });
    return problems;
  }

  /** Maps {@code ALVLM_*} variables to keys: known settings by name, the rest of {@code ALVLM_KAFKA_*} to {@code kafka.*}. */
  static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> byEnv = new TreeMap<>();
    for (Setting<?> s : Settings.all()) {
      if (env.containsKey(s.envName())) {
        byEnv.put(s.key(), env.get(s.envName()));
      }
    }
    env.forEach((name, value) -> {
      for (String prefix : PASS_THROUGH) {
        String envPrefix = Setting.envName(prefix);
        if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
          String rest = name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
          byEnv.put(prefix + rest, value);
        }
      }
    });
    return byEnv;
  }

  private void validate(List<String> environmentProblems) {
    List<String> problems = new ArrayList<>(environmentProblems);
    Map<String, Setting<?>> known = new TreeMap<>();
    Settings.all().forEach(s -> known.put(s.key(), s));
    for (Map.Entry<String, String> e : values.entrySet()) {
      Setting<?> s = known.get(e.getKey());
      if (s == null) {
        if (PASS_THROUGH.stream().noneMatch(e.getKey()::startsWith)) {
          problems.add("unknown setting '" + e.getKey() + "' (see alvlm run --list-settings)");
        }
        continue;
      }
      try {
        s.parse(e.getValue());
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    if (problems.isEmpty() && get(Settings.ANNOTATE_VOTES) < 1) {
      problems.add("annotate.votes=" + get(Settings.ANNOTATE_VOTES) + ": want 1 or more answers per request");
    }
    if (problems.isEmpty()) {
      try {
        SelectionSettings.stop(this); // query.stop.* ranges, checked by the rule's settings
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("bad configuration: " + String.join("; ", problems));
    }
  }

  public <T> T get(Setting<T> s) {
    return s.parse(Objects.requireNonNull(values.get(s.key()), s.key()));
  }

  /** A copy with some settings changed. */
  public ServiceConfig with(Map<String, String> changes) {
    Map<String, String> v = new LinkedHashMap<>(values);
    v.putAll(changes);
    ServiceConfig c = new ServiceConfig(v);
    c.validate(List.of());
    return c;
  }

  /** Settings under {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Every value (for the registry client and diagnostics). */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * Every setting, with the values of credentials (keys naming a password, secret, token, jaas config
   * or user info) replaced by {@code [hidden]}, so the config can be logged safely.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ServiceConfig{");
    new TreeMap<>(values).forEach((k, v) -> b.append(b.length() > 14 ? ", " : "").append(k).append('=')
        .append(secret(k) ? "[hidden]" : v));
    return b.append('}').toString();
  }

  /** Whether a key holds a credential. */
  public static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("jaas")
        || k.contains("user.info") || k.endsWith(".key") || k.contains("credentials");
  }

  /** Whether this instance's {@code role} runs {@code part}'s sub-topology. */
  public boolean runs(Role part) {
    return get(Settings.ROLE).runs(part);
  }

  public List<String> list(Setting<String> s) {
    String v = get(s).trim();
    return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /** The class names, from {@code classes} or {@code classes.file}; an error when neither gives any. */
  public List<String> classNames() {
    List<String> inline = list(Settings.CLASSES);
    if (!inline.isEmpty()) {
      return inline;
    }
    String file = get(Settings.CLASSES_FILE);
    if (file.isBlank()) {
      throw new IllegalArgumentException("no classes: set classes=a,b,c or classes.file=FILE (one name per line)");
    }
    try {
      List<String> names = Files.readAllLines(Path.of(file)).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
      if (names.isEmpty()) {
        throw new IllegalArgumentException("classes.file " + file + " lists no class");
      }
      return names;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read classes.file " + file + ": " + e.getMessage(), e);
    }
  }
}
