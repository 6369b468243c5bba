package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String OLD = "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 4.194304E7\n"
      + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 9.9E7\n"
      + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7\n";

  @Test
  void takesTheLiveDataSizeOnceACollectionSetIt() {
    assertEquals(Optional.of(3.0E7), PrometheusText.heapAfterGcBytes("# HELP x\njvm_gc_live_data_size_bytes 3.0E7\n" + OLD));
  }

  @Test
  void fallsBackToTheOldGenerationBeforeThat() {
    assertEquals(Optional.of(4.194304E7), PrometheusText.heapAfterGcBytes("jvm_gc_live_data_size_bytes 0.0\n" + OLD));
  }

  @Test
  void nothingWithoutJvmMetrics() {
    assertEquals(Optional.empty(), PrometheusText.heapAfterGcBytes("alvlm_workbench_requests_total 3.0\n"));
  }
}
