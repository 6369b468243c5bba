package io.alvlm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak Java heap use since the last {@link #reset}: the sum of each heap pool's peak, so an upper
 * bound (pools may peak at different moments). Native memory (the engine's arrays) is not included.
 */
public final class HeapPeak {
  private HeapPeak() {}

  /** Collects garbage, then starts a new peak. */
  public static void reset() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
  }

  public static long bytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
    }
    return sum;
  }
}
