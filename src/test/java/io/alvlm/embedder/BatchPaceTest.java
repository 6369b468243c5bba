package io.alvlm.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pace keeps a tower call under a quarter of the transaction timeout: down at once, up gradually. */
class BatchPaceTest {
  private static final long MS = 1_000_000L;
  private final BatchPace pace = new BatchPace(32, Duration.ofSeconds(4)); // a call may take 1 s

  @Test
  void startsAtTheConfiguredBatchAndStaysThereWhileCallsAreFast() {
    assertEquals(32, pace.limit());
    assertEquals(32, pace.measured(32, 320 * MS)); // 10 ms an image: 100 would fit, the setting caps it
    assertEquals(1.0, pace.targetSeconds(), 1e-9);
  }

  @Test
  void aSlowCallShrinksTheNextBatchAtOnceToWhatFits() {
    assertEquals(6, pace.measured(32, 32 * 150 * MS)); // 150 ms an image: 6 fit in 1 s
    assertEquals(6, pace.limit());
    assertEquals(6, pace.measured(6, 6 * 150 * MS), "a call at the new size stays there");
  }

  @Test
  void aFasterTowerGrowsTheBatchAtMostTwofoldPerFullCallAndNeverAboveTheSetting() {
    pace.measured(32, 32 * 500 * MS); // 500 ms an image: 2 fit
    assertEquals(2, pace.limit());
    assertEquals(2, pace.measured(1, 10 * MS), "a call that did not use the limit says nothing about a fuller one");
    int before = pace.limit();
    int after = pace.measured(before, before * 10 * MS);
    assertTrue(after > before && after <= 2 * before, "grows, twofold at most: " + before + " -> " + after);
    for (int i = 0; i < 40; i++) {
      int limit = pace.limit();
      assertTrue(pace.measured(limit, limit * 10 * MS) <= 2 * limit);
    }
    assertEquals(32, pace.limit(), "back to embed.batch.size once the tower is fast again, not above");
  }

  @Test
  void neverBelowOneImage() {
    assertEquals(1, pace.measured(4, 4 * 5000 * MS));
  }

  @Test
  void refusesABatchSizeBelowOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchPace(0, Duration.ofSeconds(10)));
    assertEquals("embed.batch.size must be at least 1, got 0", e.getMessage());
  }
}
