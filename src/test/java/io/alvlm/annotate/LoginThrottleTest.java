package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ten failed logins a minute per address, then a doubling wait; a success or a quiet minute starts over. */
class LoginThrottleTest {
  private static final long BACKOFF = 5_000;

  @Test
  void theTenthFailureWithinAMinuteBlocksTheAddress() {
    LoginThrottle t = new LoginThrottle(BACKOFF);
    for (int i = 0; i < 9; i++) {
      assertEquals(0, t.failed("10.0.0.1", i * 1000L));
    }
    assertEquals(0, t.waitMs("10.0.0.1", 9_000));
    assertEquals(BACKOFF, t.failed("10.0.0.1", 9_000));
    assertEquals(BACKOFF - 1000, t.waitMs("10.0.0.1", 10_000));
    assertEquals(0, t.waitMs("10.0.0.2", 10_000), "another address is not held back");
    assertEquals(0, t.waitMs("10.0.0.1", 9_000 + BACKOFF));
  }

  @Test
  void eachFurtherBlockDoublesUntilAQuietMinuteOrASuccess() {
    LoginThrottle t = new LoginThrottle(BACKOFF);
    long now = 0;
    for (int block = 0; block < 3; block++) {
      for (int i = 0; i < 9; i++) {
        t.failed("a", now++);
      }
      assertEquals(BACKOFF << block, t.failed("a", now));
      now += BACKOFF << block;
    }
    now += LoginThrottle.WINDOW_MS + 1;
    for (int i = 0; i < 9; i++) {
      t.failed("a", now++);
    }
    assertEquals(BACKOFF, t.failed("a", now), "a quiet minute starts the backoff over");
    now += BACKOFF;
    t.succeeded("a");
    for (int i = 0; i < 9; i++) {
      assertEquals(0, t.failed("a", now++));
    }
  }

  @Test
  void failuresOlderThanAMinuteDoNotCount() {
    LoginThrottle t = new LoginThrottle(BACKOFF);
    for (int i = 0; i < 9; i++) {
      t.failed("a", 0);
    }
    assertEquals(0, t.failed("a", LoginThrottle.WINDOW_MS + 1), "the nine are more than a minute old");
    assertEquals(1, t.recentFailures("a", LoginThrottle.WINDOW_MS + 1));
  }
}
