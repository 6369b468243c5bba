package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RssSlopeTest {
  @Test
  void fitsTheSecondHalfOnlyInMibPerHour() {
    List<RssSlope.Point> points = new ArrayList<>();
    for (int t = 0; t <= 3600; t += 10) {
      // warm-up: 200 MiB over the first half; then 4 MiB/h with noise that averages out
      double mib = t < 1800 ? 100 + 200.0 * t / 1800 : 300 + 4.0 * (t - 1800) / 3600 + (t % 20 == 0 ? 0.5 : -0.5);
      points.add(new RssSlope.Point(t, 42, mib));
    }
    assertEquals(4.0, RssSlope.mibPerHour(points, 3600), 0.2);
  }

  @Test
  void aRestartIsNoLeakTheLongestInstanceIsFitted() {
    List<RssSlope.Point> points = new ArrayList<>();
    for (int t = 1800; t <= 3600; t += 10) {
      boolean second = t > 2000;
      // the first instance is killed at 2000 s; the new one starts low and stays flat
      points.add(new RssSlope.Point(t, second ? 2 : 1, second ? 150 : 400));
    }
    assertEquals(0.0, RssSlope.mibPerHour(points, 3600), 1e-9);
  }

  @Test
  void tooFewSamplesGiveNoSlope() {
    List<RssSlope.Point> points = List.of(new RssSlope.Point(100, 1, 10), new RssSlope.Point(110, 1, 20));
    assertTrue(Double.isNaN(RssSlope.mibPerHour(points, 120)));
  }

  @Test
  void aRestartedInstancesOwnStartIsLeftOutButALeakAfterItIsNot() {
    List<RssSlope.Point> points = new ArrayList<>();
    for (int t = 0; t <= 1800; t += 10) {
      // instance 1 dies at 900 s; instance 2 starts at 1000 s: 80 -> 380 MiB in 120 s, then 20 MiB/h
      if (t < 900) points.add(new RssSlope.Point(t, 1, 400));
      if (t >= 1000) points.add(new RssSlope.Point(t, 2, t < 1120 ? 80 + 300.0 * (t - 1000) / 120 : 380 + 20.0 * (t - 1120) / 3600));
    }
    assertEquals(20.0, RssSlope.mibPerHour(points, 1800), 0.5);
  }
}
