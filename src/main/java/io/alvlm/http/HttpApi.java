package io.alvlm.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The read-only HTTP side of an instance: {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready}, and JSON views {@code /pool}, {@code /images/{id}}, {@code /rounds},
 * {@code /model}. Anything but GET or HEAD is refused with 405 ({@link WebServer}).
 */
public final class HttpApi implements AutoCloseable {
  private static final List<String> ENDPOINTS =
      List.of("/metrics", "/health/live", "/health/ready", "/pool", "/images/{id}", "/rounds", "/model");
  private final WebServer server;

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

  private HttpApi(WebServer server) {
    this.server = server;
  }

  public static HttpApi start(String bind, int port, View view) throws IOException {
    Objects.requireNonNull(view);
    Routes routes = new Routes()
        .get("/metrics", r -> answer(() -> Reply.text(200, Reply.PROMETHEUS_TEXT, view.metrics())))
        .get("/health/live", r -> answer(() -> health(view.live())))
        .get("/health/ready", r -> answer(() -> health(view.ready())))
        .get("/pool", r -> answer(() -> Reply.json(200, view.pool())))
        .get("/rounds", r -> answer(() -> Reply.json(200, view.rounds())))
        .get("/model", r -> answer(() -> view.model().map(m -> Reply.json(200, m))
            .orElseGet(() -> Reply.error(404, "no model published yet"))))
        .getUnder("/images/", r -> answer(() -> {
          String id = URLDecoder.decode(r.rawPath().substring("/images/".length()), StandardCharsets.UTF_8);
          return view.image(id).map(m -> Reply.json(200, m)).orElseGet(() -> Reply.error(404, "no image " + id + " in the pool"));
        }))
        .otherwise(r -> Reply.json(404, Map.of("error", "not found", "endpoints", ENDPOINTS)));
    return new HttpApi(WebServer.start("alvlm-http", bind, port, 2, Set.of("GET"), routes));
  }

  public int port() {
    return server.port();
  }

  private static Reply health(boolean ok) {
    return Reply.json(ok ? 200 : 503, Map.of("status", ok ? "UP" : "DOWN"));
  }

  /** A view that cannot answer (the store is restoring, Streams is rebalancing) is 503, not 500. */
  private static Reply answer(Supplier<Reply> view) {
    try {
      return view.get();
    } catch (RuntimeException e) {
      return Reply.error(503, String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
