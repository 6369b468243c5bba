package io.alvlm.annotate;

import io.alvlm.http.Request;
import java.util.Optional;

/**
 * The workbench's door: the session cookie (HttpOnly, SameSite=Strict), and the checks a
 * state-changing request must pass (a live session and its CSRF token in {@code X-CSRF-Token}; for
 * login, a JSON body and a same-origin {@code Origin}). Security headers are the HTTP layer's
 * ({@link io.alvlm.http.WebServer}).
 */
final class Guard {
  static final String COOKIE = "alvlm_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private final Sessions sessions;

  Guard(Sessions sessions) {
    this.sessions = sessions;
  }

  static String cookie(Sessions.Session s, long now) {
    long maxAge = Math.max(0, (s.endsAt() - now) / 1000);
    return COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge;
  }

  static String clearedCookie() {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  /** The caller's session, from the cookie. */
  Optional<Sessions.Session> session(Request r, long now) {
    for (String header : r.headers("Cookie")) {
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
  static boolean csrfOk(Request r, Sessions.Session s) {
    return s.csrfMatches(r.header(CSRF_HEADER).orElse(null));
  }

  /**
   * A login must be JSON (a cross-site HTML form cannot send that without a CORS preflight, which
   * this server never grants) and, when the browser names an origin, come from this one.
   */
  static boolean loginShapeOk(Request r) {
    String type = r.header("Content-Type").orElse(null);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return false;
    }
    String origin = r.header("Origin").orElse(null);
    String host = r.header("Host").orElse(null);
    return origin == null || (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host)));
  }
}
