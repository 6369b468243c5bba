package io.alvlm.soak;

import java.util.List;

/**
 * The growth of a resident set: the least-squares line through the samples of the second half of a
 * run (the first half is warm-up: caches filling, the JIT, the pool growing), in MiB per hour. A
 * process killed and started again by the soak is several instances: each instance's first
 * {@link #INSTANCE_WARM_UP_S} seconds are its own start (classes, the JIT, the first batches), left out
 * too, and the fit takes the instance with the most samples left, since a restart's drop and regrowth
 * is no leak.
 */
final class RssSlope {
  /** One sample: seconds since the start, the process instance, its resident set in MiB. */
  record Point(double seconds, long pid, double mib) {}

  /** How long after an instance's first sample its own start-up growth lasts. */
  static final double INSTANCE_WARM_UP_S = 180;

  private RssSlope() {}

  /** The slope over the points at or after half of {@code runSeconds}, past their instance's start; NaN with fewer than 3. */
  static double mibPerHour(List<Point> points, double runSeconds) {
    java.util.Map<Long, Double> firstSeen = new java.util.HashMap<>();
    points.forEach(p -> firstSeen.merge(p.pid(), p.seconds(), Math::min));
    List<Point> half = points.stream().filter(p -> p.seconds() >= runSeconds / 2
        && p.seconds() >= firstSeen.get(p.pid()) + INSTANCE_WARM_UP_S).toList();
    java.util.Map<Long, Long> perPid = half.stream().collect(java.util.stream.Collectors.groupingBy(Point::pid,
        java.util.stream.Collectors.counting()));
    long pid = perPid.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(-1L);
    List<Point> late = half.stream().filter(p -> p.pid() == pid).toList();
    if (late.size() < 3) {
      return Double.NaN;
    }
    double mx = late.stream().mapToDouble(Point::seconds).average().orElseThrow();
    double my = late.stream().mapToDouble(Point::mib).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Point p : late) {
      sxy += (p.seconds() - mx) * (p.mib() - my);
      sxx += (p.seconds() - mx) * (p.seconds() - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 3600;
  }
}
