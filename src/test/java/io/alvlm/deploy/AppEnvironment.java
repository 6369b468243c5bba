package io.alvlm.deploy;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Setting;
import io.alvlm.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment variables the application reads, from the code: each setting's {@code envName()},
 * the pass-through prefixes of {@link ServiceConfig#PASS_THROUGH}, and the few read outside
 * {@link ServiceConfig} (DJL, the JVM, the {@code bin/alvlm} launcher).
 */
final class AppEnvironment {
  /** Read by DJL and the JVM in the container images. */
  static final Map<String, String> RUNTIME = new TreeMap<>(Map.of(
      "DJL_OFFLINE", "true: DJL never tries its download server (required; the images set it)",
      "DJL_CACHE_DIR", "where DJL unpacks its native libraries (~430 MB CPU, ~2.5 GB CUDA) on first use",
      "JAVA_TOOL_OPTIONS", "JVM flags, read by the JVM itself (e.g. -XX:MaxRAMPercentage=60)",
      "MALLOC_ARENA_MAX", "glibc malloc in the JVM's process: at most this many arenas (the images and bin/alvlm set 2)",
      "MALLOC_MMAP_THRESHOLD_", "glibc malloc: blocks of this many bytes or more are mapped, and unmapped when freed "
          + "(the images and bin/alvlm set 1048576)",
      "LD_PRELOAD", "libraries loaded before the JVM's: the images preload tcmalloc, the pool's manifest sets it "
          + "empty (glibc malloc); bin/alvlm adds tcmalloc per ALVLM_MALLOC and the MKL shim"));
  /** Read by {@code bin/alvlm} and its bench only. */
  static final Map<String, String> LAUNCHER = new TreeMap<>(Map.of(
      "ALVLM_JAVA_OPTS", "bin/alvlm: JVM flags (default -Xmx8g)",
      "ALVLM_MAVEN_ARGS", "bin/alvlm: extra Maven arguments when it rebuilds the jar (e.g. -Pcuda)",
      "ALVLM_POOL_JVM_OPTS", "bin/alvlm bench pool: more JVM flags for the pool service's own JVM",
      "ALVLM_MKL_ANY_CPU", "bin/alvlm: 0 turns off the shim that lets DJL's oneMKL use its fast sgemm on non-Intel CPUs",
      "ALVLM_MALLOC", "bin/alvlm: auto (tcmalloc when installed, except run --role pool), tcmalloc or glibc"));
  /** Set in images for the base image's own tools, not read by alvlm. */
  static final Set<String> IMAGE_PLUMBING = Set.of("HOME", "JAVA_HOME", "PATH", "NVIDIA_VISIBLE_DEVICES",
      "NVIDIA_DRIVER_CAPABILITIES");

  private AppEnvironment() {}

  static List<String> passThroughPrefixes() {
    return ServiceConfig.PASS_THROUGH.stream().map(Setting::envName).toList();
  }

  /** True when the service (or its JVM/DJL) reads {@code name}. */
  static boolean serviceReads(String name) {
    return Settings.all().stream().anyMatch(s -> s.envName().equals(name))
        || passThroughPrefixes().stream().anyMatch(p -> name.startsWith(p) && name.length() > p.length())
        || RUNTIME.containsKey(name);
  }
}
