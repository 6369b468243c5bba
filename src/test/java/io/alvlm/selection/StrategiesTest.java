package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  @Test
  void readsCecKnobs() {
    CecStrategy s = (CecStrategy) Strategies.create("cec",
        Map.of("top-n", "5", "k", "7", "lambda", "0.5", "inits", "2", "iterations", "9", "tolerance", "0", "sampled-inits", "4"));
    assertEquals(new CecStrategy.Settings(5, 7, 0.5, new WeightedKMeans.Settings(2, 9, 0, 256, 4, Compute.Settings.defaults())),
        s.settings());
    assertEquals(1, ((CecStrategy) Strategies.create("cec", Map.of())).settings().kmeans().sampledInits());
  }

  @Test
  void readsComputeDeviceHalfAndSampleCap() {
    CecStrategy s = (CecStrategy) Strategies.create("cec", Map.of("device", "CPU", "half", "true", "sample-per-centre", "64"));
    assertEquals(new Compute.Settings(Compute.Target.CPU, true), s.settings().kmeans().compute());
    assertEquals(64, s.settings().kmeans().samplePerCentre());
    assertThrows(IllegalArgumentException.class, () -> Strategies.create("cec", Map.of("device", "tpu")));
    assertThrows(IllegalArgumentException.class, () -> Strategies.create("cec", Map.of("half", "yes")));
  }

  @Test
  void wrapsAnyStrategyInPcb() {
    assertEquals("pcb:badge", Strategies.create("pcb:badge", Map.of()).name());
    assertEquals("pcb:cec", Strategies.create("pcb:cec", Map.of("k", "3", "candidates", "2")).name());
  }

  @Test
  void rejectsUnknownNameListingValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("kcenter", Map.of()));
    assertTrue(e.getMessage().contains("coreset") && e.getMessage().contains("pcb:"), e.getMessage());
  }

  @Test
  void rejectsUnknownParameterListingValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("cec", Map.of("topn", "3")));
    assertTrue(e.getMessage().contains("top-n"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Strategies.create("random", Map.of("k", "3")));
  }

  @Test
  void rejectsMalformedValues() {
    assertThrows(IllegalArgumentException.class, () -> Strategies.create("cec", Map.of("k", "ten")));
    assertThrows(IllegalArgumentException.class, () -> Strategies.create("cec", Map.of("inits", "0")));
  }
}
