package io.alvlm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreloadTest {
  private static final String SHIM = "/repo/target/libmkl_any_cpu.so";
  private static final String TC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";

  @Test
  void dropsOnlyTheNamedLibrary() {
    assertEquals(SHIM, Preload.without(TC + ":" + SHIM, Preload.TCMALLOC));
    assertEquals(TC, Preload.without(TC + ":" + SHIM, Preload.MKL_SHIM));
    assertEquals(TC + ":/opt/x/libother.so", Preload.without(TC + " " + SHIM + " /opt/x/libother.so", Preload.MKL_SHIM));
  }

  @Test
  void matchesTheFileNameNotTheDirectory() {
    assertEquals("/opt/libtcmalloc/libjemalloc.so.2", Preload.without("/opt/libtcmalloc/libjemalloc.so.2", Preload.TCMALLOC));
  }

  @Test
  void hasMatchesFileNamesAsWithoutDoes() {
    assertTrue(Preload.has(TC + ":" + SHIM, Preload.TCMALLOC));
    assertFalse(Preload.has("/opt/libtcmalloc/libjemalloc.so.2 " + SHIM, Preload.TCMALLOC));
    assertFalse(Preload.has(null, Preload.TCMALLOC));
  }

  @Test
  void nothingLeftIsNull() {
    assertNull(Preload.without(TC, Preload.TCMALLOC));
    assertNull(Preload.without(null, Preload.TCMALLOC));
  }

  @Test
  void aChildEnvironmentLosesTheVariableWhenItEmpties() {
    Map<String, String> env = new HashMap<>(Map.of(Preload.VARIABLE, TC + ":" + SHIM, "HOME", "/root"));
    Preload.dropFrom(env, Preload.TCMALLOC);
    assertEquals(SHIM, env.get(Preload.VARIABLE));
    Preload.dropFrom(env, Preload.MKL_SHIM);
    assertFalse(env.containsKey(Preload.VARIABLE));
    assertEquals("/root", env.get("HOME"));
  }
}
