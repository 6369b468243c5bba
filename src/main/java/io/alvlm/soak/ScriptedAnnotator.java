package io.alvlm.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A person at the workbench, scripted: logs in with a token ({@code POST /api/login}), takes the next
 * request ({@code POST /api/next}) and answers it with the image's true class
 * ({@code POST /api/answer}), over real HTTP with the session cookie and the CSRF token, as the page
 * does. Logs in again when the session is gone (a restarted workbench), and waits while the workbench
 * is away. Once told to ({@link #writeNotes()}, after a rolling upgrade of the workbench) it adds a
 * free-text note to each answer.
 */
final class ScriptedAnnotator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration IDLE = Duration.ofMillis(200);
  private final URI base;
  private final String token;
  private final Function<String, String> truth;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicBoolean notes = new AtomicBoolean();
  private final AtomicInteger noted = new AtomicInteger();
  private final Thread thread;
  private String cookie;
  private String csrf;

  /**
   * @param base the workbench, e.g. {@code http://127.0.0.1:8081/}
   * @param truth the true class name of an image id
   */
  ScriptedAnnotator(URI base, String token, Function<String, String> truth) {
    this.base = base;
    this.token = token;
    this.truth = truth;
    thread = new Thread(this::loop, "soak-annotator");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      try {
        if (!step()) {
          Thread.sleep(IDLE.toMillis());
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // the workbench is down or restarting: log in again once it answers
        cookie = null;
        try {
          Thread.sleep(IDLE.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One request answered: true; nothing to answer (or a new session): false. */
  private boolean step() throws IOException, InterruptedException {
    if (cookie == null) {
      login();
      return false;
    }
    HttpResponse<String> next = post("api/next", "{}");
    if (next.statusCode() == 401 || next.statusCode() == 403) {
      cookie = null;
      return false;
    }
    JsonNode request = JSON.readTree(next.body()).path("request");
    if (next.statusCode() != 200 || request.isNull() || request.isMissingNode()) {
      return false;
    }
    String cls = truth.apply(request.path("imageId").asText());
    Map<String, String> answer = new java.util.TreeMap<>(Map.of("queryId", request.path("queryId").asText(), "outcome",
        cls == null ? "NONE_OF_THESE" : "LABELED"));
    if (cls != null) {
      answer.put("className", cls);
    }
    boolean withNote = notes.get();
    if (withNote) {
      answer.put("note", "scripted answer: the true class of " + request.path("imageId").asText());
    }
    HttpResponse<String> a = post("api/answer", JSON.writeValueAsString(answer));
    if (a.statusCode() == 200 || a.statusCode() == 202) {
      answered.incrementAndGet();
      if (withNote) {
        noted.incrementAndGet();
      }
      return true;
    }
    if (a.statusCode() == 401 || a.statusCode() == 403) {
      cookie = null;
    }
    return false;
  }

  private void login() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/login")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("token", token)))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return;
    }
    String set = r.headers().firstValue("Set-Cookie").orElse("");
    cookie = set.contains(";") ? set.substring(0, set.indexOf(';')) : set;
    csrf = JSON.readTree(r.body()).path("csrf").asText();
    logins.incrementAndGet();
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  int answered() {
    return answered.get();
  }

  /** From now on each answer carries a note. */
  void writeNotes() {
    notes.set(true);
  }

  /** Answers sent with a note. */
  int noted() {
    return noted.get();
  }

  int logins() {
    return logins.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.interrupt();
    thread.join(10_000);
  }
}
