package io.alvlm.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code LD_PRELOAD} that {@code bin/alvlm} hands this JVM (the MKL shim, tcmalloc), edited for a
 * child process that must not inherit all of it.
 */
final class Preload {
  static final String VARIABLE = "LD_PRELOAD";
  /** The allocator {@code bin/alvlm} preloads ({@code ALVLM_MALLOC}). */
  static final String TCMALLOC = "libtcmalloc";
  /** The shim that lets DJL's oneMKL dispatch on a non-Intel CPU's features. */
  static final String MKL_SHIM = "libmkl_any_cpu";

  private Preload() {}

  /**
   * {@code preload} (colon- or space-separated, as ld.so reads it) without the libraries whose file
   * name contains {@code library}; null when nothing is left.
   */
  static String without(String preload, String library) {
    if (preload == null) return null;
    String kept = entries(preload).filter(p -> !named(p, library)).collect(Collectors.joining(":"));
    return kept.isEmpty() ? null : kept;
  }

  /** True when {@code preload} loads a library whose file name contains {@code library}. */
  static boolean has(String preload, String library) {
    return preload != null && entries(preload).anyMatch(p -> named(p, library));
  }

  private static Stream<String> entries(String preload) {
    return Arrays.stream(preload.split("[: ]+")).filter(p -> !p.isEmpty());
  }

  private static boolean named(String path, String library) {
    return path.substring(path.lastIndexOf('/') + 1).contains(library);
  }

  /** Drops {@code library} from a child's environment's {@code LD_PRELOAD} (removing the variable if it empties). */
  static void dropFrom(Map<String, String> environment, String library) {
    String kept = without(environment.get(VARIABLE), library);
    if (kept == null) {
      environment.remove(VARIABLE);
    } else {
      environment.put(VARIABLE, kept);
    }
  }
}
