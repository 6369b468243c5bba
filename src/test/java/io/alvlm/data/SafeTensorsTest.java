package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  private static Map<String, SafeTensors.Floats> sample() {
    Map<String, SafeTensors.Floats> m = new LinkedHashMap<>();
    m.put("a", new SafeTensors.Floats(new float[] {1f, -2.5f, 0.15625f, 3e4f, 1e-3f, 0f}, new long[] {2, 3}));
    m.put("b", new SafeTensors.Floats(new float[] {7f}, new long[] {}));
    return m;
  }

  @Test
  void float32RoundTripsExactlyWithMetadata() throws Exception {
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, sample(), Map.of("format", "pt"));
    SafeTensors st = SafeTensors.open(f);
    assertEquals(java.util.List.of("a", "b"), st.names());
    assertArrayEquals(sample().get("a").data(), st.floats("a", 2, 3).data());
    assertArrayEquals(new long[] {}, st.entry("b").shape());
    assertEquals("pt", st.metadata().get("format"));
  }

  @Test
  void halfAndBfloat16ComeBackAsFloat32() throws Exception {
    for (String dtype : new String[] {"F16", "BF16"}) {
      Path f = dir.resolve(dtype + ".safetensors");
      SafeTensors.write(f, sample(), Map.of(), dtype);
      float[] back = SafeTensors.open(f).floats("a").data();
      float[] want = sample().get("a").data();
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], back[i], Math.abs(want[i]) * (dtype.equals("F16") ? 1e-3 : 8e-3) + 1e-6, dtype);
      }
    }
  }

  @Test
  void namesMissingAndMisshapedTensors() throws Exception {
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, sample(), Map.of());
    SafeTensors st = SafeTensors.open(f);
    Exception missing = assertThrows(IllegalArgumentException.class, () -> st.floats("c", 2));
    assertTrue(missing.getMessage().contains("tensor 'c' is missing"), missing.getMessage());
    Exception shape = assertThrows(IllegalArgumentException.class, () -> st.floats("a", 3, 2));
    assertTrue(shape.getMessage().contains("tensor 'a' has shape [2, 3], expected [3, 2]"), shape.getMessage());
  }
}
