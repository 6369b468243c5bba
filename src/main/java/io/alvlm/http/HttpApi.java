package io.alvlm.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The read-only HTTP side of an instance: {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready}, and JSON views {@code /pool}, {@code /images/{id}}, {@code /rounds},
 * {@code /model}. Anything but GET or HEAD is refused with 405.
 */
public final class HttpApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  /** What the endpoints read; each method may be called from any HTTP thread. */
  public interface View {
    String metrics();

    boolean live();

    boolean ready();

    Map<String, Object> pool();

    Optional<Map<String, Object>> image(String id);

    Object rounds();

    Optional<Map<String, Object>> model();
  }

  private HttpApi(HttpServer server) {
    this.server = server;
  }

  public static HttpApi start(String bind, int port, View view) throws IOException {
    Objects.requireNonNull(view);
    HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 64);
    s.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "alvlm-http");
      t.setDaemon(true);
      return t;
    }));
    s.createContext("/metrics", ex -> respond(ex, () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", view.metrics())));
    s.createContext("/health/live", ex -> respond(ex, () -> health(view.live())));
    s.createContext("/health/ready", ex -> respond(ex, () -> health(view.ready())));
    s.createContext("/pool", ex -> respond(ex, () -> json(200, view.pool())));
    s.createContext("/rounds", ex -> respond(ex, () -> json(200, view.rounds())));
    s.createContext("/model", ex -> respond(ex, () -> view.model().map(m -> json(200, m))
        .orElseGet(() -> json(404, Map.of("error", "no model published yet")))));
    s.createContext("/images/", ex -> respond(ex, () -> {
      String id = java.net.URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/images/".length()), StandardCharsets.UTF_8);
      return view.image(id).map(m -> json(200, m)).orElseGet(() -> json(404, Map.of("error", "no image " + id + " in the pool")));
    }));
    s.createContext("/", ex -> respond(ex, () -> json(404, Map.of("error", "not found",
        "endpoints", java.util.List.of("/metrics", "/health/live", "/health/ready", "/pool", "/images/{id}", "/rounds", "/model")))));
    s.start();
    return new HttpApi(s);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private record Reply(int status, String type, String body) {}

  private static Reply health(boolean ok) {
    return json(ok ? 200 : 503, Map.of("status", ok ? "UP" : "DOWN"));
  }

  private static Reply json(int status, Object body) {
    try {
      return new Reply(status, "application/json", JSON.writeValueAsString(body));
    } catch (IOException e) {
      return new Reply(500, "text/plain", "cannot render JSON: " + e.getMessage());
    }
  }

  private static void respond(HttpExchange ex, Supplier<Reply> handler) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      Reply r;
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        r = new Reply(405, "application/json", "{\"error\":\"read-only endpoint: use GET\"}");
      } else {
        try {
          r = handler.get();
        } catch (RuntimeException e) {
          r = json(503, Map.of("error", String.valueOf(e.getMessage())));
        }
      }
      byte[] body = r.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", r.type);
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(r.status, -1);
        return;
      }
      ex.sendResponseHeaders(r.status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
