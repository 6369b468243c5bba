package io.alvlm.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backoff policy alone: bounds, growth, jitter range, Retry-After. */
class RegistryRetryTest {
  private final RegistryRetry retry =
      new RegistryRetry(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(60));

  @Test
  void waitsGrowByDoublingWithinHalfToAllOfTheBoundAndStopAtTheCap() {
    long[] bounds = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int n = 1; n <= bounds.length; n++) {
      long lowest = retry.delay(n, Optional.empty(), () -> 0.0).toMillis();
      long highest = retry.delay(n, Optional.empty(), () -> 0.999_999).toMillis();
      assertEquals(bounds[n - 1] / 2, lowest, "retry " + n);
      assertTrue(highest >= bounds[n - 1] - 1 && highest <= bounds[n - 1], "retry " + n + ": " + highest);
    }
    assertEquals(1000, retry.delay(1_000_000, Optional.empty(), () -> 0.999_999).toMillis() + 1);
  }

  @Test
  void theRegistrysRetryAfterWins() {
    assertEquals(Duration.ofSeconds(7), retry.delay(1, Optional.of(Duration.ofSeconds(7)), () -> 0.5));
    ZonedDateTime now = ZonedDateTime.of(2026, 11, 3, 10, 0, 0, 0, ZoneOffset.UTC);
    assertEquals(Optional.of(Duration.ofSeconds(3)), RegistryRetry.parseRetryAfter(Optional.of(" 3 "), now));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(12));
    assertEquals(Optional.of(Duration.ofSeconds(12)), RegistryRetry.parseRetryAfter(Optional.of(date), now));
    assertEquals(Optional.of(Duration.ZERO), RegistryRetry.parseRetryAfter(Optional.of("-4"), now));
    assertEquals(Optional.empty(), RegistryRetry.parseRetryAfter(Optional.of("soon"), now));
  }

  @Test
  void retriesOnlyStatusesThatMayPass() {
    for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
      assertTrue(RegistryRetry.retryableStatus(s), "HTTP " + s);
    }
    for (int s : new int[] {200, 400, 401, 403, 404, 409, 415, 422}) {
      assertTrue(!RegistryRetry.retryableStatus(s), "HTTP " + s);
    }
  }

  @Test
  void readsItsSettingsAndExplainsBadOnes() {
    RegistryRetry r = RegistryRetry.from(Map.of(RegistryRetry.BACKOFF_MS, "5", RegistryRetry.BACKOFF_MAX_MS, "50",
        RegistryRetry.DEADLINE_MS, "2000"));
    assertEquals(new RegistryRetry(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(2)), r);
    assertEquals(Duration.ofSeconds(60), RegistryRetry.from(Map.of()).deadline());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistryRetry.from(Map.of(RegistryRetry.DEADLINE_MS, "1m")))
        .getMessage().contains(RegistryRetry.DEADLINE_MS));
    assertThrows(IllegalArgumentException.class,
        () -> RegistryRetry.from(Map.of(RegistryRetry.BACKOFF_MS, "500", RegistryRetry.BACKOFF_MAX_MS, "50")));
  }
}
