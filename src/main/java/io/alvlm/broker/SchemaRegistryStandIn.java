package io.alvlm.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import io.alvlm.serde.SchemaEvolution;
import io.alvlm.serde.SchemaRegistryClient;
import io.alvlm.serde.SerdeConfig;

/**
 * A stand-in for Confluent's Schema Registry speaking the part of its REST API that alvlm uses:
 * {@code POST /subjects/{s}/versions} (register; 409 when not BACKWARD compatible with the latest,
 * 42201 for an invalid schema), {@code POST /subjects/{s}} (look up; 40401/40403),
 * {@code GET /schemas/ids/{id}} (40403), {@code GET /subjects/{s}/versions[/{v}]} (40401/40402),
 * {@code POST /compatibility/subjects/{s}/versions/latest} (40401), basic auth required (401), error
 * bodies {@code {"error_code":..,"message":..}}. A real Confluent registry cannot run on the build
 * machines: the tests use this one, and {@code alvlm soak} runs it as a process it can stop
 * ({@link StandaloneServer}). Faults can be queued per request kind ({@link #fail},
 * {@link #dropBeforeAnswering}, {@link #dropAfterHandling}) to play an overloaded or flaky registry.
 */
public final class SchemaRegistryStandIn implements AutoCloseable {
  public static final String USER = "alvlm";
  public static final String PASSWORD = "s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern VERSION = Pattern.compile("/subjects/([^/]+)/versions/(\\d+)");
  private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");
  private static final Pattern COMPAT = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

  private final HttpServer server;
  private final RegisteredSchemas schemas;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final InjectedFaults faults = new InjectedFaults();
  private final ThreadLocal<Boolean> dropReply = ThreadLocal.withInitial(() -> false);
  private final String scheme;

  private SchemaRegistryStandIn(HttpServer server, String scheme, RegisteredSchemas schemas) {
    this.server = server;
    this.schemas = schemas;
    this.scheme = scheme;
  }

  /** Starts a registry on a free loopback port. */
  public static SchemaRegistryStandIn start() throws IOException {
    return start(0);
  }

  /** Starts a registry on {@code port} of the loopback address (0: a free one). */
  public static SchemaRegistryStandIn start(int port) throws IOException {
    return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0), "http",
        RegisteredSchemas.inMemory());
  }

  /**
   * Starts a registry on {@code port} of the loopback address that keeps its schemas in {@code journal},
   * so that a registry started again on the same file answers the same ids.
   */
  public static SchemaRegistryStandIn start(int port, Path journal) throws IOException {
    return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0), "http",
        RegisteredSchemas.journalled(journal));
  }

  /** Starts a registry serving https with the given server-side TLS context. */
  public static SchemaRegistryStandIn startTls(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return serve(s, "https", RegisteredSchemas.inMemory());
  }

  private static SchemaRegistryStandIn serve(HttpServer s, String scheme, RegisteredSchemas schemas) {
    SchemaRegistryStandIn r = new SchemaRegistryStandIn(s, scheme, schemas);
    s.createContext("/", r::handle);
    s.start();
    return r;
  }

  public String url() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serde config for this registry in Confluent format, with the right credentials. */
  public Map<String, Object> serdeConfig() {
    return Map.of(SerdeConfig.FORMAT, "confluent", SerdeConfig.REGISTRY_URL, url(),
        SerdeConfig.BASIC_AUTH_USER_INFO, USER + ":" + PASSWORD);
  }

  /** How many requests came for "METHOD /path-pattern-kind", e.g. "GET /schemas/ids". */
  public int calls(String kind) {
    AtomicInteger n = calls.get(kind);
    return n == null ? 0 : n.get();
  }

  /** The next {@code times} requests of {@code kind} get HTTP {@code status}, with {@code Retry-After} if not null. */
  public void fail(String kind, int status, int times, String retryAfter) {
    faults.add(kind, times, new InjectedFaults.Fault(status, retryAfter, false));
  }

  /** The next {@code times} requests of {@code kind} lose their connection before anything is done. */
  public void dropBeforeAnswering(String kind, int times) {
    faults.add(kind, times, new InjectedFaults.Fault(0, null, false));
  }

  /** The next {@code times} requests of {@code kind} are carried out, then lose their connection before the answer. */
  public void dropAfterHandling(String kind, int times) {
    faults.add(kind, times, new InjectedFaults.Fault(0, null, true));
  }

  /** Versions registered under {@code subject} (0 when it does not exist). */
  public synchronized int versions(String subject) {
    List<Integer> v = schemas.versions(subject);
    return v == null ? 0 : v.size();
  }

  /** Every subject holding a version. */
  public synchronized java.util.Set<String> subjects() {
    return schemas.subjects();
  }


  /** Registers a schema directly (as another producer would), returning its id. */
  public synchronized int put(String subject, Schema schema) {
    return schemas.store(subject, schema.toString());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      dropReply.set(false);
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      if (!authorized(ex)) {
        reply(ex, 401, error(401, "Unauthorized"));
        return;
      }
      if (method.equals("POST") && !jsonContentType(ex)) {
        reply(ex, 415, error(415, "HTTP 415 Unsupported Media Type"));
        return;
      }
      String kind = kindOf(method, path);
      count(kind);
      InjectedFaults.Fault fault = faults.next(kind);
      if (fault != null && fault.status() > 0) {
        if (fault.retryAfter() != null) {
          ex.getResponseHeaders().set("Retry-After", fault.retryAfter());
        }
        reply(ex, fault.status(), error(fault.status() * 100 + 1, "injected HTTP " + fault.status()));
        return;
      }
      if (fault != null && !fault.afterHandling()) {
        // HttpServer closes the connection of a handler that throws, without an answer
        throw new IOException("injected: connection dropped before answering");
      }
      dropReply.set(fault != null);
      Matcher m;
      if (method.equals("POST") && (m = COMPAT.matcher(path)).matches()) {
        compatibility(ex, subject(m));
      } else if ((m = REGISTER.matcher(path)).matches()) {
        if (method.equals("POST")) {
          register(ex, subject(m));
        } else {
          versions(ex, subject(m));
        }
      } else if (method.equals("GET") && (m = VERSION.matcher(path)).matches()) {
        version(ex, subject(m), Integer.parseInt(m.group(2)));
      } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
        lookup(ex, subject(m));
      } else if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
        String schema = schemas.schema(Integer.parseInt(m.group(1)));
        if (schema == null) {
          reply(ex, 404, error(40403, "Schema " + m.group(1) + " not found"));
        } else {
          reply(ex, 200, JSON.createObjectNode().put("schema", schema));
        }
      } else {
        reply(ex, 404, error(404, "HTTP 404 Not Found"));
      }
    }
  }

  private static String kindOf(String method, String path) {
    if (COMPAT.matcher(path).matches()) {
      return method + " /compatibility";
    } else if (REGISTER.matcher(path).matches()) {
      return method + " /subjects/versions";
    } else if (VERSION.matcher(path).matches()) {
      return method + " /subjects/versions/n";
    } else if (LOOKUP.matcher(path).matches()) {
      return method + " /subjects";
    } else if (BY_ID.matcher(path).matches()) {
      return method + " /schemas/ids";
    }
    return method + " " + path;
  }

  private synchronized void register(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    if (schema == null) {
      return;
    }
    List<Integer> versions = schemas.versions(subject) == null ? List.of() : schemas.versions(subject);
    Integer existing = schemas.id(schema.toString());
    if (existing != null && versions.contains(existing)) {
      reply(ex, 200, JSON.createObjectNode().put("id", existing));
      return;
    }
    if (!versions.isEmpty()) {
      Schema latest = new Schema.Parser().parse(schemas.schema(versions.get(versions.size() - 1)));
      List<String> problems = SchemaEvolution.backwardProblems(schema, latest);
      if (!problems.isEmpty()) {
        reply(ex, 409, error(409, "Schema being registered is incompatible with an earlier schema for subject \""
            + subject + "\", details: " + problems));
        return;
      }
    }
    reply(ex, 200, JSON.createObjectNode().put("id", schemas.store(subject, schema.toString())));
  }

  /** The subject's versions, or null after answering 40401. */
  private List<Integer> versionsOr404(HttpExchange ex, String subject) throws IOException {
    List<Integer> versions = schemas.versions(subject);
    if (versions == null) {
      reply(ex, 404, error(40401, "Subject '" + subject + "' not found."));
    }
    return versions;
  }

  private synchronized void lookup(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    List<Integer> versions = schema == null ? null : versionsOr404(ex, subject);
    if (versions == null) {
      return;
    }
    Integer id = schemas.id(schema.toString());
    if (id == null || !versions.contains(id)) {
      reply(ex, 404, error(40403, "Schema not found"));
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("subject", subject).put("id", id)
        .put("version", versions.indexOf(id) + 1).put("schema", schemas.schema(id));
    reply(ex, 200, body);
  }

  private synchronized void compatibility(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    List<Integer> versions = schema == null ? null : versionsOr404(ex, subject);
    if (versions == null) {
      return;
    }
    Schema latest = new Schema.Parser().parse(schemas.schema(versions.get(versions.size() - 1)));
    boolean ok = SchemaEvolution.backwardProblems(schema, latest).isEmpty();
    reply(ex, 200, JSON.createObjectNode().put("is_compatible", ok));
  }

  private synchronized void versions(HttpExchange ex, String subject) throws IOException {
    List<Integer> versions = versionsOr404(ex, subject);
    if (versions == null) {
      return;
    }
    List<Integer> numbers = new ArrayList<>();
    for (int v = 1; v <= versions.size(); v++) {
      numbers.add(v);
    }
    reply(ex, 200, JSON.valueToTree(numbers));
  }

  private synchronized void version(HttpExchange ex, String subject, int version) throws IOException {
    List<Integer> versions = versionsOr404(ex, subject);
    if (versions == null) {
      return;
    } else if (version < 1 || version > versions.size()) {
      reply(ex, 404, error(40402, "Version " + version + " not found."));
    } else {
      int id = versions.get(version - 1);
      reply(ex, 200, JSON.createObjectNode().put("subject", subject).put("id", id).put("version", version)
          .put("schema", schemas.schema(id)));
    }
  }



  private Schema parseBody(HttpExchange ex) throws IOException {
    try {
      JsonNode body = JSON.readTree(ex.getRequestBody());
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (SchemaParseException | IOException e) {
      reply(ex, 422, error(42201, "Invalid schema: " + e.getMessage()));
      return null;
    }
  }

  private static boolean authorized(HttpExchange ex) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return expected.equals(ex.getRequestHeaders().getFirst("Authorization"));
  }

  private static boolean jsonContentType(HttpExchange ex) {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    return ct != null && (ct.startsWith(SchemaRegistryClient.CONTENT_TYPE) || ct.startsWith("application/json"));
  }

  private static String subject(Matcher m) {
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  private void count(String kind) {
    calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  private static JsonNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    if (dropReply.get()) {
      dropReply.set(false);
      throw new IOException("injected: connection dropped after handling the request");
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
