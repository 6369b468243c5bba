package io.alvlm.soak;

import java.util.Optional;

/** Values read from a Prometheus text exposition ({@code /metrics}). */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * {@code jvm_gc_live_data_size_bytes} when a collection of the old generation has set it, else the
   * sum of {@code jvm_memory_used_bytes} over the heap's old-generation pools; empty when neither is there.
   */
  static Optional<Double> heapAfterGcBytes(String text) {
    double live = 0;
    double old = 0;
    boolean seen = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("jvm_gc_live_data_size_bytes")) {
        live = value(line);
        seen = true;
      } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"") && line.contains("Old Gen")) {
        old += value(line);
        seen = true;
      }
    }
    return !seen ? Optional.empty() : Optional.of(live > 0 ? live : old);
  }

  private static double value(String line) {
    String[] parts = line.trim().split("\\s+");
    return Double.parseDouble(parts[parts.length - 1]);
  }
}
