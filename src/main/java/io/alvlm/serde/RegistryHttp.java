package io.alvlm.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;

/**
 * The HTTP exchange with one registry: each call is sent, and re-sent under {@link RegistryRetry}
 * while it fails for a reason that may pass (every call the client makes is idempotent: lookups,
 * compatibility checks, fetches by id, and registration, which returns the existing id for a schema
 * already under the subject). A 2xx answer is returned; any other answer, or the deadline passing,
 * is a {@link SchemaRegistryException} carrying the registry's status, error code and message.
 */
final class RegistryHttp {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final RegistryRetry retry;
  private final RegistryHealth health;
  private final HttpClient http;

  RegistryHttp(SerdeConfig config, RegistryHealth health) {
    this.baseUrl =
        config.registryUrl().orElseThrow(() -> new IllegalArgumentException("no " + SerdeConfig.REGISTRY_URL));
    this.authorization = authorizationHeader(config);
    this.timeout = config.timeout();
    this.retry = config.retry();
    this.health = Objects.requireNonNull(health, "health");
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.timeout());
    if (config.tls().configured()) {
      b.sslContext(config.tls().sslContext());
    }
    this.http = b.build();
  }

  URI baseUrl() {
    return baseUrl;
  }

  /** The {@code Authorization} header value for the configured basic auth or bearer token. */
  static Optional<String> authorizationHeader(SerdeConfig config) {
    if (config.basicAuthUserInfo().isPresent()) {
      byte[] raw = config.basicAuthUserInfo().get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(raw));
    }
    return config.bearerToken().map(t -> "Bearer " + t);
  }

  /** {@code method path} with {@code schema} as the body (or none), retried as the class says. */
  JsonNode call(String method, String path, Schema schema) {
    URI uri = URI.create(baseUrl + path);
    String what = method + " " + uri;
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Duration left = retry.deadline().minusNanos(System.nanoTime() - start);
      Failure failure;
      try {
        HttpResponse<String> resp = http.send(request(method, uri, schema, left), HttpResponse.BodyHandlers.ofString());
        if (!RegistryRetry.retryableStatus(resp.statusCode())) {
          health.answered();
          return answer(what, resp);
        }
        failure = Failure.of(resp);
      } catch (HttpTimeoutException e) {
        failure = new Failure("timeout", -1, "no answer within " + timeout.toMillis() + " ms", Optional.empty(), e);
      } catch (ConnectException e) {
        failure = new Failure("unreachable", -1, e.toString(), Optional.empty(), e);
      } catch (IOException e) {
        failure = new Failure("connection-dropped", -1, e.toString(), Optional.empty(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(-1, -1, what + " interrupted", e, true);
      }
      health.failed(failure.kind);
      // a pooled connection the registry closed fails at once; a fresh one usually works, so retry without waiting
      Duration wait = attempt == 1 && failure.kind.equals("connection-dropped")
          ? Duration.ZERO : retry.delay(attempt, failure.retryAfter, ThreadLocalRandom.current()::nextDouble);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (elapsed.plus(wait).compareTo(retry.deadline()) > 0) {
        health.failed("gave-up");
        throw new SchemaRegistryException(failure.status, -1, what + " failed " + attempt + " time(s) in "
            + elapsed.toMillis() + " ms, last: " + failure.detail + "; is the registry at " + baseUrl + " up (check "
            + SerdeConfig.REGISTRY_URL + ")? Calls retry for " + RegistryRetry.DEADLINE_MS + "="
            + retry.deadline().toMillis(), failure.cause, true);
      }
      sleep(wait, what);
    }
  }

  /**
   * One {@code GET /subjects}, no retry, within {@code wait}: fails fast, naming the registry's
   * address, when nothing answers there or it refuses the credentials. Any other answer will do.
   */
  void probe(Duration wait) {
    URI uri = URI.create(baseUrl + "/subjects");
    String where = "the schema registry at " + baseUrl + " (" + SerdeConfig.REGISTRY_URL + ")";
    try {
      HttpResponse<String> resp = http.send(request("GET", uri, null, wait), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 401 || resp.statusCode() == 403) {
        throw new SchemaRegistryException(resp.statusCode(), -1, where + " refuses the credentials (HTTP "
            + resp.statusCode() + "); check " + SerdeConfig.BASIC_AUTH_USER_INFO + " or " + SerdeConfig.BEARER_TOKEN, null);
      }
      health.answered();
    } catch (HttpTimeoutException e) {
      throw new SchemaRegistryException(-1, -1, "cannot reach " + where + ": no answer within " + wait.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new SchemaRegistryException(-1, -1, "cannot reach " + where + ": " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(-1, -1, "interrupted while reaching " + where, e);
    }
  }

  private HttpRequest request(String method, URI uri, Schema schema, Duration left) {
    Duration limit = left.compareTo(timeout) < 0 && !left.isNegative() && !left.isZero() ? left : timeout;
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(limit).header("Accept", CONTENT_TYPE);
    authorization.ifPresent(a -> req.header("Authorization", a));
    if (schema == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      ObjectNode payload = JSON.createObjectNode().put("schema", schema.toString());
      req.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(payload.toString()));
    }
    return req.build();
  }

  private static JsonNode answer(String what, HttpResponse<String> resp) {
    JsonNode body = parse(resp.body());
    if (resp.statusCode() / 100 != 2) {
      int code = body.path("error_code").asInt(-1);
      String msg = body.path("message").asText(resp.body());
      String hint = resp.statusCode() == 401 || resp.statusCode() == 403
          ? "; check " + SerdeConfig.BASIC_AUTH_USER_INFO + " or " + SerdeConfig.BEARER_TOKEN : "";
      throw new SchemaRegistryException(resp.statusCode(), code,
          what + " -> HTTP " + resp.statusCode() + " error_code " + code + ": " + msg + hint, null);
    }
    return body;
  }

  private static void sleep(Duration wait, String what) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(-1, -1, what + " interrupted while waiting to retry", e, true);
    }
  }

  static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", body);
    }
  }

  /** One failed attempt that may pass. */
  private record Failure(String kind, int status, String detail, Optional<Duration> retryAfter, Throwable cause) {
    static Failure of(HttpResponse<String> resp) {
      int s = resp.statusCode();
      String kind = s == 408 ? "http-408" : s == 429 ? "http-429" : "http-5xx";
      Optional<Duration> after = RegistryRetry.parseRetryAfter(resp.headers().firstValue("Retry-After"), ZonedDateTime.now());
      String msg = parse(resp.body()).path("message").asText(resp.body());
      return new Failure(kind, s, "HTTP " + s + " " + msg, after, null);
    }
  }
}
