package io.alvlm.annotate;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.Optional;

/**
 * The workbench's door: security headers on every response, the session cookie (HttpOnly,
 * SameSite=Strict), and the checks a state-changing request must pass (a live session and its
 * CSRF token in {@code X-CSRF-Token}; for login, a JSON body and a same-origin {@code Origin}).
 */
final class Guard {
  static final String COOKIE = "alvlm_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** Scripts, styles and images from this origin only; no inline script, no framing, no form posts elsewhere. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
      + " form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final Sessions sessions;

  Guard(Sessions sessions) {
    this.sessions = sessions;
  }

  static void secureHeaders(Headers h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
  }

  static String cookie(Sessions.Session s, long now) {
    long maxAge = Math.max(0, (s.endsAt() - now) / 1000);
    return COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge;
  }

  static String clearedCookie() {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  /** The caller's session, from the cookie. */
  Optional<Sessions.Session> session(HttpExchange ex, long now) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) {
          Optional<Sessions.Session> s = sessions.find(p.substring(COOKIE.length() + 1), now);
          if (s.isPresent()) {
            return s;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a state-changing request of this session carries its CSRF token. */
  static boolean csrfOk(HttpExchange ex, Sessions.Session s) {
    return s.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER));
  }

  /**
   * A login must be JSON (a cross-site HTML form cannot send that without a CORS preflight, which
   * this server never grants) and, when the browser names an origin, come from this one.
   */
  static boolean loginShapeOk(HttpExchange ex) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return false;
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    String host = ex.getRequestHeaders().getFirst("Host");
    return origin == null || (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host)));
  }
}
