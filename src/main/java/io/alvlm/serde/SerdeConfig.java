package io.alvlm.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Serde settings, read from a flat key/value map (the service config or a Kafka config map).
 *
 * <p>Keys: {@code serde.format} ({@code single-object}, the default, or {@code confluent});
 * for {@code confluent}: {@code schema.registry.url}, {@code schema.registry.basic.auth.user.info}
 * ({@code user:password}), {@code schema.registry.bearer.auth.token},
 * {@code schema.registry.auto.register} (default true), {@code schema.registry.timeout.ms}
 * (per HTTP attempt, default 10000), retries via {@code schema.registry.retry.*} (see {@link RegistryRetry}),
 * {@code schema.registry.subject.name.strategy} (see {@link SubjectNameStrategy}, default {@code topic}),
 * and TLS via {@code schema.registry.ssl.*} (see {@link RegistryTls}); {@code serde.label.schema-version}
 * (default 0: this build's schema) pins {@code Label} to an earlier version of {@code schemas/history/Label/}.
 *
 * @param format the wire format
 * @param registryUrl base URL of the Confluent-compatible registry, when {@code format} needs one
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if any
 * @param bearerToken token for {@code Authorization: Bearer}, if any
 * @param autoRegister register unknown schemas (after a compatibility check) instead of failing
 * @param timeout time limit of one HTTP attempt (connect and response)
 * @param retry backoff and total deadline for calls that fail for a reason that may pass
 * @param subjectStrategy how a topic and record type map to a registry subject
 * @param tls trust and key stores for https registries
 * @param pinned record names whose records this instance writes and reads with an earlier schema version,
 *     as a build of that version would (see {@link PinnedSchema}); empty: every record with this build's schema
 */
public record SerdeConfig(
    WireFormat format,
    Optional<URI> registryUrl,
    Optional<String> basicAuthUserInfo,
    Optional<String> bearerToken,
    boolean autoRegister,
    Duration timeout,
    RegistryRetry retry,
    SubjectNameStrategy subjectStrategy,
    RegistryTls tls,
    Map<String, Integer> pinned) {

  public static final String FORMAT = "serde.format";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String BEARER_TOKEN = "schema.registry.bearer.auth.token";
  public static final String AUTO_REGISTER = "schema.registry.auto.register";
  public static final String TIMEOUT_MS = "schema.registry.timeout.ms";
  public static final String LABEL_SCHEMA_VERSION = "serde.label.schema-version";

  /** Every setting but the credentials, which show only as set or not (a record's default toString would print them). */
  @Override
  public String toString() {
    return "SerdeConfig[format=" + format + ", registryUrl=" + registryUrl.map(URI::toString).orElse("-") + ", basicAuth="
        + (basicAuthUserInfo.isPresent() ? "set" : "unset") + ", bearerToken=" + (bearerToken.isPresent() ? "set" : "unset")
        + ", autoRegister=" + autoRegister + ", timeout=" + timeout + ", retry=" + retry + ", subjectStrategy="
        + subjectStrategy.configValue() + ", tls=" + tls + ", pinned=" + pinned + "]";
  }

  public SerdeConfig {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(subjectStrategy, "subjectStrategy");
    Objects.requireNonNull(tls, "tls");
    pinned = Map.copyOf(pinned);
    pinned.forEach((record, version) -> {
      int versions = RecordTypes.history(record).size();
      if (version < 1 || version > versions) {
        throw new IllegalArgumentException(LABEL_SCHEMA_VERSION + "=" + version + ": " + record + " has schema versions 1 to "
            + versions + " (0: this build's)");
      }
    });
    if (!pinned.isEmpty() && format != WireFormat.CONFLUENT) {
      throw new IllegalArgumentException(LABEL_SCHEMA_VERSION + " needs " + FORMAT + "=confluent (a registry keeps the old"
          + " writer schema's id)");
    }
    if (format == WireFormat.CONFLUENT && registryUrl.isEmpty()) {
      throw new IllegalArgumentException(
          "serde.format=confluent needs " + REGISTRY_URL + " (e.g. http://localhost:8081)");
    }
    if (basicAuthUserInfo.isPresent() && bearerToken.isPresent()) {
      throw new IllegalArgumentException(
          "set only one of " + BASIC_AUTH_USER_INFO + " and " + BEARER_TOKEN);
    }
    if (basicAuthUserInfo.isPresent() && !basicAuthUserInfo.get().contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be user:password");
    }
  }

  /** The embedded default: single-object encoding, no registry. */
  public static SerdeConfig singleObject() {
    return from(Map.of());
  }

  /** Reads the keys above from {@code config}; values may be any objects, read as strings. */
  public static SerdeConfig from(Map<String, ?> config) {
    Objects.requireNonNull(config, "config");
    return new SerdeConfig(
        WireFormat.parse(text(config, FORMAT).orElse(WireFormat.SINGLE_OBJECT.configValue())),
        text(config, REGISTRY_URL).map(SerdeConfig::baseUri),
        text(config, BASIC_AUTH_USER_INFO),
        text(config, BEARER_TOKEN),
        Boolean.parseBoolean(text(config, AUTO_REGISTER).orElse("true")),
        Duration.ofMillis(Long.parseLong(text(config, TIMEOUT_MS).orElse("10000"))),
        RegistryRetry.from(config),
        SubjectNameStrategy.parse(text(config, SubjectNameStrategy.KEY).orElse(SubjectNameStrategy.TOPIC.configValue())),
        RegistryTls.from(config),
        pins(config));
  }

  /** {@code serde.label.schema-version}: 0 or absent pins nothing. */
  private static Map<String, Integer> pins(Map<String, ?> config) {
    Optional<String> label = text(config, LABEL_SCHEMA_VERSION);
    int v;
    try {
      v = Integer.parseInt(label.orElse("0"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(LABEL_SCHEMA_VERSION + "=" + label.get() + " is not a schema version (a whole number; 0: this build's)");
    }
    return v == 0 ? Map.of() : Map.of("Label", v);
  }

  /** The version {@code record} is pinned to, if any. */
  public Optional<Integer> pinnedVersion(String record) {
    return Optional.ofNullable(pinned.get(record));
  }

  static Optional<String> text(Map<String, ?> config, String key) {
    Object v = config.get(key);
    if (v == null) {
      return Optional.empty();
    }
    String s = v.toString().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static URI baseUri(String url) {
    // Confluent clients accept a comma-separated list; alvlm uses the first URL.
    String first = url.split(",")[0].trim();
    return URI.create(first.endsWith("/") ? first.substring(0, first.length() - 1) : first);
  }
}
