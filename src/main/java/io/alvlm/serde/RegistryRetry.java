package io.alvlm.serde;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How the registry client retries a call that failed for a reason that may pass: the registry
 * refused or dropped the connection, did not answer within {@code schema.registry.timeout.ms}, or
 * answered HTTP 5xx, 408 or 429. The n-th retry waits a random time between half and all of
 * {@code backoff · 2^(n-1)}, capped at {@code backoffMax} (jitter keeps many clients from retrying in
 * step), or exactly the registry's {@code Retry-After}. A call gives up once its next wait would end
 * after {@code deadline}, counted from its first attempt. All durations are wall-clock time.
 *
 * @param backoff the bound of the first wait ({@code schema.registry.retry.backoff.ms}, default 100)
 * @param backoffMax the largest bound of a wait ({@code schema.registry.retry.backoff.max.ms}, default 5000)
 * @param deadline how long one call may keep retrying ({@code schema.registry.retry.deadline.ms}, default 60000)
 */
public record RegistryRetry(Duration backoff, Duration backoffMax, Duration deadline) {
  public static final String BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
  public static final String DEADLINE_MS = "schema.registry.retry.deadline.ms";

  public RegistryRetry {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(deadline, "deadline");
    if (backoff.isNegative() || backoffMax.compareTo(backoff) < 0 || deadline.isNegative()) {
      throw new IllegalArgumentException("need 0 <= " + BACKOFF_MS + " <= " + BACKOFF_MAX_MS + " and " + DEADLINE_MS
          + " >= 0, got " + backoff.toMillis() + ", " + backoffMax.toMillis() + ", " + deadline.toMillis());
    }
  }

  /** Reads the three keys above from {@code config}. */
  public static RegistryRetry from(Map<String, ?> config) {
    return new RegistryRetry(millis(config, BACKOFF_MS, 100), millis(config, BACKOFF_MAX_MS, 5_000),
        millis(config, DEADLINE_MS, 60_000));
  }

  /** Whether an HTTP status says "try again later" rather than "this request is wrong". */
  public static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param retryAfter the registry's {@code Retry-After}, which wins when present
   * @param random uniform in [0, 1)
   */
  public Duration delay(int retry, Optional<Duration> retryAfter, DoubleSupplier random) {
    if (retryAfter.isPresent()) {
      return retryAfter.get();
    }
    long bound = backoff.toMillis();
    for (int i = 1; i < retry && bound < backoffMax.toMillis(); i++) {
      bound *= 2;
    }
    bound = Math.min(bound, backoffMax.toMillis());
    return Duration.ofMillis(bound / 2 + (long) (random.getAsDouble() * (bound - bound / 2)));
  }

  /** A {@code Retry-After} value (delay seconds or an HTTP date) as a wait from {@code now}, if it is one. */
  static Optional<Duration> parseRetryAfter(Optional<String> header, ZonedDateTime now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException neither) {
        return Optional.empty();
      }
    }
  }

  private static Duration millis(Map<String, ?> config, String key, long fallback) {
    String v = SerdeConfig.text(config, key).orElse(Long.toString(fallback));
    try {
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number of milliseconds, got '" + v + "'", e);
    }
  }
}
