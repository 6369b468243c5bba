package io.alvlm.serde;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small in-memory registry speaking the part of the Confluent Schema Registry REST API that
 * alvlm uses, as documented by Confluent: {@code POST /subjects/{s}/versions} (register; 409 when
 * not BACKWARD compatible with the latest version, 42201 for an invalid schema),
 * {@code POST /subjects/{s}} (look up; 40401/40403), {@code GET /schemas/ids/{id}} (40403),
 * {@code GET /subjects/{s}/versions} (40401), {@code POST /compatibility/subjects/{s}/versions/latest}
 * (40401), with basic auth required (401). Error bodies are {@code {"error_code":..,"message":..}}.
 * A real Confluent registry cannot run on the build machines; this stands in for it in tests.
 */
public final class TestSchemaRegistry implements AutoCloseable {
  public static final String USER = "alvlm";
  public static final String PASSWORD = "s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");
  private static final Pattern COMPAT = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

  private final HttpServer server;
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);

  private final String scheme;

  private TestSchemaRegistry(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
  }

  /** Starts a registry on a free loopback port. */
  public static TestSchemaRegistry start() throws IOException {
    return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  /** Starts a registry serving https with the given server-side TLS context. */
  public static TestSchemaRegistry startTls(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return serve(s, "https");
  }

  private static TestSchemaRegistry serve(HttpServer s, String scheme) {
    TestSchemaRegistry r = new TestSchemaRegistry(s, scheme);
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

  /** Registers a schema directly (as another producer would), returning its id. */
  public synchronized int put(String subject, Schema schema) {
    return store(subject, schema.toString());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
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
      Matcher m;
      if (method.equals("POST") && (m = COMPAT.matcher(path)).matches()) {
        count("POST /compatibility");
        compatibility(ex, subject(m));
      } else if ((m = REGISTER.matcher(path)).matches()) {
        count(method + " /subjects/versions");
        if (method.equals("POST")) {
          register(ex, subject(m));
        } else {
          versions(ex, subject(m));
        }
      } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
        count("POST /subjects");
        lookup(ex, subject(m));
      } else if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
        count("GET /schemas/ids");
        String schema = schemas.get(Integer.parseInt(m.group(1)));
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

  private synchronized void register(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    if (schema == null) {
      return;
    }
    List<Integer> versions = subjects.getOrDefault(subject, List.of());
    Integer existing = idBySchema.get(schema.toString());
    if (existing != null && versions.contains(existing)) {
      reply(ex, 200, JSON.createObjectNode().put("id", existing));
      return;
    }
    if (!versions.isEmpty()) {
      Schema latest = new Schema.Parser().parse(schemas.get(versions.get(versions.size() - 1)));
      List<String> problems = SchemaEvolution.backwardProblems(schema, latest);
      if (!problems.isEmpty()) {
        reply(ex, 409, error(409, "Schema being registered is incompatible with an earlier schema for subject \""
            + subject + "\", details: " + problems));
        return;
      }
    }
    reply(ex, 200, JSON.createObjectNode().put("id", store(subject, schema.toString())));
  }

  private synchronized void lookup(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    if (schema == null) {
      return;
    }
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      reply(ex, 404, error(40401, "Subject '" + subject + "' not found."));
      return;
    }
    Integer id = idBySchema.get(schema.toString());
    if (id == null || !versions.contains(id)) {
      reply(ex, 404, error(40403, "Schema not found"));
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("subject", subject).put("id", id)
        .put("version", versions.indexOf(id) + 1).put("schema", schemas.get(id));
    reply(ex, 200, body);
  }

  private synchronized void compatibility(HttpExchange ex, String subject) throws IOException {
    Schema schema = parseBody(ex);
    if (schema == null) {
      return;
    }
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      reply(ex, 404, error(40401, "Subject '" + subject + "' not found."));
      return;
    }
    Schema latest = new Schema.Parser().parse(schemas.get(versions.get(versions.size() - 1)));
    boolean ok = SchemaEvolution.backwardProblems(schema, latest).isEmpty();
    reply(ex, 200, JSON.createObjectNode().put("is_compatible", ok));
  }

  private synchronized void versions(HttpExchange ex, String subject) throws IOException {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      reply(ex, 404, error(40401, "Subject '" + subject + "' not found."));
      return;
    }
    List<Integer> numbers = new ArrayList<>();
    for (int v = 1; v <= versions.size(); v++) {
      numbers.add(v);
    }
    reply(ex, 200, JSON.valueToTree(numbers));
  }

  private int store(String subject, String schema) {
    int id = idBySchema.computeIfAbsent(schema, s -> nextId.getAndIncrement());
    schemas.put(id, schema);
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
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

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
