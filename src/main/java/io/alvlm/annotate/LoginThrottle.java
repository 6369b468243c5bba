package io.alvlm.annotate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Failed logins per address: {@value #ALLOWED} failures within a minute block the address for
 * {@code backoffMs}, doubling with each further block (at most an hour) until a login succeeds or a
 * quiet minute passes. A blocked address is refused before its token is looked at, so guessing runs
 * at no more than ten tokens a minute and slows down from there. Thread-safe.
 */
final class LoginThrottle {
  static final int ALLOWED = 10;
  static final long WINDOW_MS = 60_000;
  private static final long MAX_BACKOFF_MS = 3_600_000;
  /** Addresses kept before quiet ones are forgotten (a spread-out attack cannot grow the map without bound). */
  private static final int PRUNE_ABOVE = 1024;

  private final long backoffMs;
  private final Map<String, Failures> byAddress = new HashMap<>();

  private static final class Failures {
    final Deque<Long> at = new ArrayDeque<>();
    long blockedUntil;
    long last;
    int blocks;
  }

  LoginThrottle(long backoffMs) {
    if (backoffMs < 1) {
      throw new IllegalArgumentException("annotate.login.backoff.ms must be positive, got " + backoffMs);
    }
    this.backoffMs = backoffMs;
  }

  /** Milliseconds until {@code address} may try a login again; 0 when it may now. */
  synchronized long waitMs(String address, long now) {
    Failures f = byAddress.get(address);
    return f == null ? 0 : Math.max(0, f.blockedUntil - now);
  }

  /** Records a failed login; returns the block it started (ms), or 0 when the address may go on trying. */
  synchronized long failed(String address, long now) {
    if (byAddress.size() > PRUNE_ABOVE) {
      byAddress.values().removeIf(f -> f.blockedUntil <= now && now - f.last > WINDOW_MS);
    }
    Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
    while (!f.at.isEmpty() && now - f.at.peekFirst() > WINDOW_MS) {
      f.at.pollFirst();
    }
    if (f.blockedUntil <= now && now - f.last > WINDOW_MS) {
      f.blocks = 0; // a quiet minute: the backoff starts over
    }
    f.last = now;
    f.at.addLast(now);
    if (f.at.size() < ALLOWED) {
      return 0;
    }
    long block = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(20, f.blocks));
    f.blocks++;
    f.blockedUntil = now + block;
    f.at.clear();
    return block;
  }

  /** Failed logins from {@code address} within the last minute. */
  synchronized int recentFailures(String address, long now) {
    Failures f = byAddress.get(address);
    return f == null ? 0 : (int) f.at.stream().filter(t -> now - t <= WINDOW_MS).count();
  }

  /** A successful login forgets the address's failures. */
  synchronized void succeeded(String address) {
    byAddress.remove(address);
  }
}
