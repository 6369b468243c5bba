package io.alvlm.annotate;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.http.Reply;
import io.alvlm.http.Request;
import io.alvlm.http.Routes;
import io.alvlm.http.WebServer;
import io.alvlm.embedder.ImageRejected;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's HTTP side, on the shared {@link WebServer}: the page ({@code /}, {@code /app.js},
 * {@code /app.css}), the JSON API under {@code /api/} and {@code /metrics}. Every {@code /api/} call
 * but login needs a session; every POST but login also needs the session's CSRF token. Refused calls
 * change nothing. Failed logins are counted per address ({@link LoginThrottle}): ten in a minute
 * and the address waits (429), whatever token it sends next.
 *
 * <ul>
 *   <li>{@code POST /api/login {"token"}} → session cookie, {@code {annotator, csrf}}
 *   <li>{@code GET /api/session} → {@code {annotator, csrf, classes}}; {@code POST /api/logout}
 *   <li>{@code POST /api/next} → the request to show ({@code {request: null}} when none is open)
 *   <li>{@code POST /api/answer {"queryId","outcome","className","note"}} ({@code note}, optional: a
 *       remark of at most {@value #NOTE_MAX} characters, kept in {@code Label.note}); {@code POST /api/undo}
 *   <li>{@code GET /api/image/{queryId}} (only for its holder); {@code GET /api/progress}
 * </ul>
 */
public final class WorkbenchServer implements AutoCloseable {
  static final int NOTE_MAX = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(WorkbenchServer.class);
  private static final long WRITE_WAIT_S = 10;
  private final WebServer server;
  private final Annotators annotators;
  private final Sessions sessions;
  private final Guard guard;
  private final LoginThrottle throttle;
  private final AnnotationDesk desk;
  private final RequestFeed feed;
  private final ImageLookup images;
  private final List<String> classes;
  private final WorkbenchMetrics metrics;
  private final PrometheusMeterRegistry registry;

  /** A handler that runs for a logged-in annotator. */
  @FunctionalInterface
  private interface SessionHandler {
    Reply handle(Request r, Sessions.Session s, long now) throws IOException;
  }

  /**
   * The parts the workbench serves; {@code classes} are the only class names an answer may carry;
   * a tenth failed login within a minute blocks its address for {@code loginBackoffMs}, doubling.
   */
  public record Parts(Annotators annotators, Sessions sessions, AnnotationDesk desk, RequestFeed feed, ImageLookup images,
      List<String> classes, PrometheusMeterRegistry registry, long loginBackoffMs,
      java.util.function.Supplier<Optional<io.alvlm.avro.PoolNotice>> notices) {}

  public WorkbenchServer(String bind, int port, Parts p) throws IOException {
    annotators = p.annotators();
    sessions = p.sessions();
    guard = new Guard(sessions);
    throttle = new LoginThrottle(p.loginBackoffMs());
    desk = p.desk();
    feed = p.feed();
    images = p.images();
    classes = List.copyOf(p.classes());
    registry = p.registry();
    metrics = new WorkbenchMetrics(registry);
    Routes routes = new Routes()
        .get("/", r -> asset("index.html", "text/html; charset=utf-8"))
        .get("/index.html", r -> asset("index.html", "text/html; charset=utf-8"))
        .get("/app.js", r -> asset("app.js", "text/javascript; charset=utf-8"))
        .get("/app.css", r -> asset("app.css", "text/css; charset=utf-8"))
        .get("/metrics", r -> Reply.text(200, Reply.PROMETHEUS_TEXT, registry.scrape()))
        .post("/api/login", this::login)
        .get("/api/session", session((r, s, now) -> Reply.json(200, sessionJson(s))))
        .get("/api/progress", session((r, s, now) -> Reply.json(200,
            ProgressView.of(desk.progress(s.annotator(), now), p.notices().get()))))
        .getUnder("/api/image/", session((r, s, now) -> image(s, r.path().substring("/api/image/".length()))))
        .post("/api/logout", changing((r, s, now) -> {
          sessions.close(s.id());
          return Reply.json(200, Map.of("loggedOut", true)).with("Set-Cookie", Guard.clearedCookie());
        }))
        .post("/api/next", changing((r, s, now) -> shown(desk.lease(s.annotator(), now))))
        .post("/api/undo", changing((r, s, now) -> shown(desk.undo(s.annotator(), now))))
        .post("/api/answer", changing((r, s, now) -> answer(s, r.jsonObject(), now)))
        // an unknown /api/ path asks for a session first, so it reveals nothing to a stranger
        .otherwise(r -> r.path().startsWith("/api/") ? session((q, s, now) -> Reply.error(404, "not found")).handle(r)
            : Reply.error(404, "not found"));
    server = WebServer.start("alvlm-workbench-http", bind, port, 4, Set.of("GET", "POST"), routes);
  }

  public int port() {
    return server.port();
  }

  private WebServer.Handler session(SessionHandler h) {
    return r -> {
      long now = System.currentTimeMillis();
      Optional<Sessions.Session> s = guard.session(r, now);
      return s.isEmpty() ? Reply.error(401, "log in first") : h.handle(r, s.get(), now);
    };
  }

  /** A state-changing call: a session and its CSRF token. */
  private WebServer.Handler changing(SessionHandler h) {
    return session((r, s, now) -> Guard.csrfOk(r, s) ? h.handle(r, s, now)
        : Reply.error(403, "missing or wrong " + Guard.CSRF_HEADER + ": reload the page"));
  }

  private Map<String, Object> sessionJson(Sessions.Session s) {
    return Map.of("annotator", s.annotator(), "csrf", s.csrf(), "classes", classes);
  }

  private Reply login(Request r) throws IOException {
    long now = System.currentTimeMillis();
    String from = r.remoteAddress();
    long wait = throttle.waitMs(from, now);
    if (wait > 0) {
      metrics.loginRefused("throttled");
      return Reply.error(429, "too many failed logins from " + from + ": try again in " + seconds(wait) + " s")
          .with("Retry-After", Long.toString(seconds(wait)));
    }
    if (!Guard.loginShapeOk(r)) {
      return Reply.error(403, "login must be a same-origin JSON request");
    }
    Object token = r.jsonObject().get("token");
    Optional<String> who = annotators.byToken(token instanceof String t ? t : null);
    if (who.isEmpty()) {
      metrics.loginRefused("unknown-token");
      long block = throttle.failed(from, now);
      if (block > 0) {
        LOG.warn("workbench: {} failed logins from {} within a minute; it waits {} s", LoginThrottle.ALLOWED, from,
            seconds(block));
      } else {
        LOG.warn("workbench: login with an unknown token from {} ({} failed within a minute)", from,
            throttle.recentFailures(from, now));
      }
      return Reply.error(401, "unknown token");
    }
    throttle.succeeded(from);
    Sessions.Session s = sessions.open(who.get(), now);
    return Reply.json(200, sessionJson(s)).with("Set-Cookie", Guard.cookie(s, now));
  }

  private static long seconds(long ms) {
    return (ms + 999) / 1000;
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
    String note = body.get("note") instanceof String n && !n.isBlank() ? n.strip() : null;
    if (note != null && note.length() > NOTE_MAX) {
      return Reply.error(400, "note is longer than " + NOTE_MAX + " characters");
    }
    if (queryId == null || (outcome == LabelOutcome.LABELED && (cls == null || !classes.contains(cls)))) {
      return Reply.error(400, "want queryId and, for LABELED, one of the class names");
    }
    Answer a = outcome == LabelOutcome.LABELED ? Answer.labeled(cls) : Answer.of(outcome);
    AnnotationDesk.Answered done;
    try {
      done = desk.answer(s.annotator(), queryId, a, note, now);
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
      return Reply.bytes(200, type.get(), b);
    } catch (ImageRejected e) {
      return Reply.error(502, e.getMessage());
    }
  }

  private static Reply asset(String name, String type) throws IOException {
    try (InputStream in = WorkbenchServer.class.getResourceAsStream("/workbench/" + name)) {
      if (in == null) {
        return Reply.error(404, "missing asset " + name);
      }
      return Reply.bytes(200, type, in.readAllBytes());
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
