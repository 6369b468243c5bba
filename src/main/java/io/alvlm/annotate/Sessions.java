package io.alvlm.annotate;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in annotators. A session id (the cookie) and its CSRF token are 256-bit random values; a
 * session ends {@code lifetimeMs} after login or at logout. Thread-safe.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final long lifetimeMs;
  private final Map<String, Session> byId = new ConcurrentHashMap<>();

  /** One login: who, the CSRF token their page must echo, and when it ends (epoch ms). */
  public record Session(String id, String annotator, String csrf, long endsAt) {
    /** Whether {@code token} is this session's CSRF token (constant time). */
    public boolean csrfMatches(String token) {
      return token != null && MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public Sessions(long lifetimeMs) {
    this.lifetimeMs = lifetimeMs;
  }

  public Session open(String annotator, long now) {
    byId.values().removeIf(s -> s.endsAt <= now);
    Session s = new Session(random(), annotator, random(), now + lifetimeMs);
    byId.put(s.id, s);
    return s;
  }

  public Optional<Session> find(String id, long now) {
    Session s = id == null ? null : byId.get(id);
    return s == null || s.endsAt <= now ? Optional.empty() : Optional.of(s);
  }

  public void close(String id) {
    byId.remove(id);
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
