package io.alvlm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request as handlers see it: method, path, headers, the caller's address and a bounded JSON body. */
public final class Request {
  private final HttpExchange exchange;
  private final int maxBody;

  Request(HttpExchange exchange, int maxBody) {
    this.exchange = exchange;
    this.maxBody = maxBody;
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  /** The decoded path, e.g. {@code /api/next}. */
  public String path() {
    return exchange.getRequestURI().getPath();
  }

  /** The path as sent, still percent-encoded (for ids taken from it). */
  public String rawPath() {
    return exchange.getRequestURI().getRawPath();
  }

  public boolean reads() {
    return method().equals("GET") || method().equals("HEAD");
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  public List<String> headers(String name) {
    return exchange.getRequestHeaders().getOrDefault(name, List.of());
  }

  /** The caller's IP address (the proxy's, behind one). */
  public String remoteAddress() {
    InetSocketAddress a = exchange.getRemoteAddress();
    return a == null || a.getAddress() == null ? "unknown" : a.getAddress().getHostAddress();
  }

  /**
   * The body as a JSON object; an empty body is an empty object.
   *
   * @throws Refusal 413 over the size limit, 400 with the parser's message when it is not a JSON object
   */
  public Map<String, Object> jsonObject() throws IOException {
    byte[] b;
    try (InputStream in = exchange.getRequestBody()) {
      b = in.readNBytes(maxBody + 1);
    }
    if (b.length > maxBody) {
      throw new Refusal(413, "request body over " + maxBody + " bytes");
    }
    if (b.length == 0) {
      return Map.of();
    }
    Object v;
    try {
      v = Reply.JSON.readValue(b, Object.class);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new Refusal(400, "malformed JSON" + where + ": " + e.getOriginalMessage());
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new Refusal(400, "want a JSON object, got " + (v == null ? "null" : "a " + v.getClass().getSimpleName()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) m;
    return object;
  }

  /** A request refused with a status and a message, thrown from anywhere in a handler; nothing was changed. */
  public static final class Refusal extends RuntimeException {
    private final transient Reply reply;

    public Refusal(int status, String message) {
      super(message, null, false, false);
      this.reply = Reply.error(status, message);
    }

    public Reply reply() {
      return reply;
    }
  }
}
