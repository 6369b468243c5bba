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
 * and TLS via {@code schema.registry.ssl.*} (see {@link RegistryTls}).
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
    RegistryTls tls) {

  public static final String FORMAT = "serde.format";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String BEARER_TOKEN = "schema.registry.bearer.auth.token";
  public static final String AUTO_REGISTER = "schema.registry.auto.register";
  public static final String TIMEOUT_MS = "schema.registry.timeout.ms";

  /** Every setting but the credentials, which show only as set or not (a record's default toString would print them). */
  @Override
  public String toString() {
    return "SerdeConfig[format=" + format + ", registryUrl=" + registryUrl.map(URI::toString).orElse("-") + ", basicAuth="
        + (basicAuthUserInfo.isPresent() ? "set" : "unset") + ", bearerToken=" + (bearerToken.isPresent() ? "set" : "unset")
        + ", autoRegister=" + autoRegister + ", timeout=" + timeout + ", retry=" + retry + ", subjectStrategy="
        + subjectStrategy.configValue() + ", tls=" + tls + "]";
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
        RegistryTls.from(config));
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
