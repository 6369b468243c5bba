package io.alvlm.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer both servers of alvlm stand on (the read-only API and the workbench): one JDK
 * server on daemon threads, the methods it allows (anything else, {@code OPTIONS} included, is 405
 * with {@code Allow} and reaches no handler), security headers on every reply, bounded request
 * bodies, {@code HEAD} answered like {@code GET} without a body, and any failure answered as JSON.
 * Handlers return a {@link Reply} or throw a {@link Request.Refusal}.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  /** Largest request body any handler reads. */
  public static final int MAX_BODY = 64 * 1024;
  /** Scripts, styles and images from this origin only; no inline script, no framing, no form posts elsewhere. */
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final HttpServer server;
  private final ExecutorService executor;

  /** Answers one request that passed the method check. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request) throws IOException;
  }

  private WebServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on {@code bind:port} (0: any free port) with {@code threads} handler threads named
   * {@code name}, answering only {@code methods} (GET implies HEAD).
   */
  public static WebServer start(String name, String bind, int port, int threads, Set<String> methods, Handler handler)
      throws IOException {
    Objects.requireNonNull(handler);
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(bind, port), 64);
    } catch (java.net.BindException e) {
      throw new IOException("cannot listen on " + bind + ":" + port + " (" + e.getMessage() + "): another process "
          + "holds the port, or the address is not this machine's", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(executor);
    String allow = String.join(", ", methods.contains("GET") ? union(methods, "HEAD") : methods);
    s.createContext("/", ex -> serve(ex, methods, allow, handler));
    s.start();
    return new WebServer(s, executor);
  }

  private static Set<String> union(Set<String> methods, String more) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(methods);
    all.add(more);
    return all;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange ex, Set<String> methods, String allow, Handler handler) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      Reply r;
      if (!methods.contains(method) && !(method.equals("HEAD") && methods.contains("GET"))) {
        r = Reply.error(405, "method " + method + " not allowed here: use " + allow).with("Allow", allow);
      } else {
        try {
          r = handler.handle(new Request(ex, MAX_BODY));
        } catch (Request.Refusal e) {
          r = e.reply();
        } catch (IOException | RuntimeException e) {
          LOG.warn("{} {} failed", method, ex.getRequestURI().getPath(), e);
          r = Reply.error(500, "server error: " + e.getClass().getSimpleName());
        }
      }
      Headers h = ex.getResponseHeaders();
      secure(h);
      h.set("Content-Type", r.type());
      for (Map.Entry<String, String> e : r.headers()) {
        h.add(e.getKey(), e.getValue());
      }
      boolean head = method.equals("HEAD");
      ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      }
    }
  }

  private static void secure(Headers h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
