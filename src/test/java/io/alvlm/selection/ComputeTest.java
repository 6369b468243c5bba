package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class ComputeTest {
  @Test
  void autoTakesTheGpuWhenTheEngineSeesOne() {
    assertTrue(Compute.usesGpu(Compute.Target.AUTO, 1));
    assertFalse(Compute.usesGpu(Compute.Target.AUTO, 0));
    assertFalse(Compute.usesGpu(Compute.Target.CPU, 4));
    assertTrue(Compute.usesGpu(Compute.Target.GPU, 2));
  }

  @Test
  void gpuWithoutOneSaysWhatToDo() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Compute.usesGpu(Compute.Target.GPU, 0));
    assertTrue(e.getMessage().contains("use auto or cpu"), e.getMessage());
  }

  @Test
  void halfPrecisionOnlyOnAGpu() {
    assertEquals(DataType.FLOAT16, Compute.precision(true, true));
    assertEquals(DataType.FLOAT32, Compute.precision(true, false));
    assertEquals(DataType.FLOAT32, Compute.precision(false, true));
    assertEquals("cpu-fp32", Compute.of(new Compute.Settings(Compute.Target.CPU, true)).name());
  }

  @Test
  void parsesTheSetting() {
    assertEquals(Compute.Target.GPU, Compute.Target.parse(" Gpu "));
    assertThrows(IllegalArgumentException.class, () -> Compute.Target.parse("tpu"));
  }
}
