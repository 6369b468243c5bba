package io.alvlm.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing by method and path: exact paths first, then the longest matching prefix; anything else is
 * answered by the fallback (a JSON 404 unless set). Built once, then read by many threads.
 */
public final class Routes implements WebServer.Handler {
  private final Map<String, WebServer.Handler> exact = new LinkedHashMap<>();
  private final List<Map.Entry<String, WebServer.Handler>> prefixes = new ArrayList<>();
  private WebServer.Handler fallback = r -> Reply.error(404, "not found");

  /** {@code GET} (and {@code HEAD}) of exactly {@code path}. */
  public Routes get(String path, WebServer.Handler h) {
    exact.put("GET " + path, h);
    return this;
  }

  /** {@code POST} to exactly {@code path}. */
  public Routes post(String path, WebServer.Handler h) {
    exact.put("POST " + path, h);
    return this;
  }

  /** {@code GET} of any path under {@code prefix} (which ends with {@code /}). */
  public Routes getUnder(String prefix, WebServer.Handler h) {
    prefixes.add(Map.entry("GET " + prefix, h));
    prefixes.sort((a, b) -> b.getKey().length() - a.getKey().length());
    return this;
  }

  /** What answers a request no route matches. */
  public Routes otherwise(WebServer.Handler h) {
    fallback = h;
    return this;
  }

  @Override
  public Reply handle(Request r) throws IOException {
    String key = (r.reads() ? "GET" : r.method()) + " " + r.path();
    WebServer.Handler h = exact.get(key);
    if (h == null) {
      for (Map.Entry<String, WebServer.Handler> p : prefixes) {
        if (key.startsWith(p.getKey())) {
          h = p.getValue();
          break;
        }
      }
    }
    return (h == null ? fallback : h).handle(r);
  }
}
