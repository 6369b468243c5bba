package io.alvlm.annotate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.embedder.ImageRejected;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The workbench's HTTP side: the page ({@code /}, {@code /app.js}, {@code /app.css}), the JSON API
 * under {@code /api/} and {@code /metrics}. Every {@code /api/} call but login needs a session;
 * every POST but login also needs the session's CSRF token. Refused calls change nothing.
 *
 * <ul>
 *   <li>{@code POST /api/login {"token"}} → session cookie, {@code {annotator, csrf}}
 *   <li>{@code GET /api/session} → {@code {annotator, csrf, classes}}; {@code POST /api/logout}
 *   <li>{@code POST /api/next} → the request to show ({@code {request: null}} when none is open)
 *   <li>{@code POST /api/answer {"queryId","outcome","className"}}; {@code POST /api/undo}
 *   <li>{@code GET /api/image/{queryId}} (only for its holder); {@code GET /api/progress}
 * </ul>
 */
public final class WorkbenchServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;
  private static final long WRITE_WAIT_S = 10;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Annotators annotators;
  private final Sessions sessions;
  private final Guard guard;
  private final AnnotationDesk desk;
  private final RequestFeed feed;
  private final ImageLookup images;
  private final List<String> classes;
  private final WorkbenchMetrics metrics;
  private final PrometheusMeterRegistry registry;

  private record Reply(int status, String type, byte[] body, String cookie) {
    static Reply json(int status, Object body) {
      try {
        return new Reply(status, "application/json", JSON.writeValueAsBytes(body), null);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Reply error(int status, String message) {
      return json(status, Map.of("error", message));
    }

    Reply withCookie(String c) {
      return new Reply(status, type, body, c);
    }
  }

  /** The parts the workbench serves; {@code classes} are the only class names an answer may carry. */
  public record Parts(Annotators annotators, Sessions sessions, AnnotationDesk desk, RequestFeed feed, ImageLookup images,
      List<String> classes, PrometheusMeterRegistry registry) {}

  public WorkbenchServer(String bind, int port, Parts p) throws IOException {
    annotators = p.annotators();
    sessions = p.sessions();
    guard = new Guard(sessions);
    desk = p.desk();
    feed = p.feed();
    images = p.images();
    classes = List.copyOf(p.classes());
    registry = p.registry();
    metrics = new WorkbenchMetrics(registry);
    server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "alvlm-workbench-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Reply r;
      try {
        r = route(ex, System.currentTimeMillis());
      } catch (BodyTooLarge e) {
        r = Reply.error(413, "request body over " + MAX_BODY + " bytes");
      } catch (RuntimeException e) {
        r = Reply.error(500, "workbench error: " + e.getClass().getSimpleName());
      }
      Guard.secureHeaders(ex.getResponseHeaders());
      ex.getResponseHeaders().set("Content-Type", r.type);
      if (r.cookie != null) {
        ex.getResponseHeaders().add("Set-Cookie", r.cookie);
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.status, head ? -1 : r.body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body);
        }
      }
    }
  }

  private Reply route(HttpExchange ex, long now) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (read) {
      switch (path) {
        case "/", "/index.html" -> {
          return asset("index.html", "text/html; charset=utf-8");
        }
        case "/app.js" -> {
          return asset("app.js", "text/javascript; charset=utf-8");
        }
        case "/app.css" -> {
          return asset("app.css", "text/css; charset=utf-8");
        }
        case "/metrics" -> {
          return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8), null);
        }
        default -> { }
      }
    }
    if (!path.startsWith("/api/")) {
      return Reply.error(404, "not found");
    }
    if (method.equals("POST") && path.equals("/api/login")) {
      return login(ex, now);
    }
    Optional<Sessions.Session> found = guard.session(ex, now);
    if (found.isEmpty()) {
      return Reply.error(401, "log in first");
    }
    Sessions.Session s = found.get();
    if (read) {
      if (path.equals("/api/session")) {
        return Reply.json(200, Map.of("annotator", s.annotator(), "csrf", s.csrf(), "classes", classes));
      }
      if (path.equals("/api/progress")) {
        return Reply.json(200, desk.progress(now));
      }
      if (path.startsWith("/api/image/")) {
        return image(s, path.substring("/api/image/".length()));
      }
      return Reply.error(404, "not found");
    }
    if (!method.equals("POST")) {
      return Reply.error(405, "use GET or POST");
    }
    if (!Guard.csrfOk(ex, s)) {
      return Reply.error(403, "missing or wrong " + Guard.CSRF_HEADER + ": reload the page");
    }
    return switch (path) {
      case "/api/logout" -> {
        sessions.close(s.id());
        yield Reply.json(200, Map.of("loggedOut", true)).withCookie(Guard.clearedCookie());
      }
      case "/api/next" -> shown(desk.lease(s.annotator(), now));
      case "/api/undo" -> shown(desk.undo(s.annotator(), now));
      case "/api/answer" -> answer(s, body(ex), now);
      default -> Reply.error(404, "not found");
    };
  }

  private Reply login(HttpExchange ex, long now) throws IOException {
    if (!Guard.loginShapeOk(ex)) {
      return Reply.error(403, "login must be a same-origin JSON request");
    }
    Object token = body(ex).get("token");
    Optional<String> who = annotators.byToken(token instanceof String t ? t : null);
    if (who.isEmpty()) {
      return Reply.error(401, "unknown token");
    }
    Sessions.Session s = sessions.open(who.get(), now);
    return Reply.json(200, Map.of("annotator", s.annotator(), "csrf", s.csrf(), "classes", classes))
        .withCookie(Guard.cookie(s, now));
  }

  private Map<String, Object> body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new BodyTooLarge();
      }
      if (b.length == 0) {
        return Map.of();
      }
      Object v = JSON.readValue(b, Object.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
      return m;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Map.of();
    }
  }

  private Reply shown(Optional<AnnotationDesk.Shown> shown) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("request", shown.map(this::describe).orElse(null));
    return Reply.json(200, out);
  }

  private Map<String, Object> describe(AnnotationDesk.Shown shown) {
    AnnotationRequest r = shown.request();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queryId", r.getQueryId());
    m.put("imageId", r.getId());
    m.put("round", r.getRound());
    m.put("correcting", shown.correcting());
    m.put("reason", r.getReason());
    m.put("guesses", r.getGuesses().stream().limit(3)
        .map(g -> Map.of("className", g.getClassName(), "probability", g.getProbability())).toList());
    m.put("why", Explanation.of(r, classes.size()));
    m.put("deadline", r.getDeadline().toEpochMilli());
    return m;
  }

  private Reply answer(Sessions.Session s, Map<String, Object> body, long now) {
    String queryId = body.get("queryId") instanceof String q ? q : null;
    LabelOutcome outcome;
    try {
      outcome = LabelOutcome.valueOf(String.valueOf(body.get("outcome")));
    } catch (IllegalArgumentException e) {
      return Reply.error(400, "outcome must be LABELED, SKIPPED or NONE_OF_THESE");
    }
    String cls = body.get("className") instanceof String c ? c : null;
    if (queryId == null || (outcome == LabelOutcome.LABELED && (cls == null || !classes.contains(cls)))) {
      return Reply.error(400, "want queryId and, for LABELED, one of the class names");
    }
    Answer a = outcome == LabelOutcome.LABELED ? Answer.labeled(cls) : Answer.of(outcome);
    AnnotationDesk.Answered done;
    try {
      done = desk.answer(s.annotator(), queryId, a, now);
    } catch (DeskRefusal e) {
      return Reply.error(409, e.getMessage());
    }
    if (done.label().isEmpty()) {
      return Reply.json(200, Map.of("written", false, "waitingForVotes", true));
    }
    Label label = done.label().get();
    try {
      feed.write(label).get(WRITE_WAIT_S, TimeUnit.SECONDS);
      metrics.written(label);
      return Reply.json(200, Map.of("written", true, "correction", label.getCorrection()));
    } catch (TimeoutException e) {
      return Reply.json(202, Map.of("written", false, "message", "label queued; it is written as soon as Kafka takes it"));
    } catch (ExecutionException e) {
      return Reply.error(503, "label not written: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.error(503, "interrupted");
    }
  }

  private Reply image(Sessions.Session s, String queryId) {
    if (!desk.visibleTo(s.annotator(), queryId)) {
      return Reply.error(404, "no such request for you");
    }
    AnnotationRequest r = desk.request(queryId).orElse(null);
    if (r == null) {
      return Reply.error(404, "no such request");
    }
    try {
      byte[] b = images.bytes(r);
      Optional<String> type = ImageType.sniff(b);
      if (type.isEmpty()) {
        return Reply.error(415, "image " + r.getId() + " is not a PNG, JPEG, GIF, WebP or BMP the browser can show");
      }
      return new Reply(200, type.get(), b, null);
    } catch (ImageRejected e) {
      return Reply.error(502, e.getMessage());
    }
  }

  private static Reply asset(String name, String type) throws IOException {
    try (InputStream in = WorkbenchServer.class.getResourceAsStream("/workbench/" + name)) {
      if (in == null) {
        return Reply.error(404, "missing asset " + name);
      }
      return new Reply(200, type, in.readAllBytes(), null);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A request body above {@link #MAX_BODY}: answered 413, nothing read further or written. */
  private static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge() {
      super(null, null, false, false);
    }
  }
}
