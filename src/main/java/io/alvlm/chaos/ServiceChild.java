package io.alvlm.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code alvlm run --config FILE} as a separate JVM started from the packaged jar, its output
 * appended to a log file, so that a chaos run can kill it with SIGKILL (no shutdown hook, no commit,
 * no clean close) and start it again.
 */
public final class ServiceChild implements AutoCloseable {
  private final Process process;

  private ServiceChild(Process process) {
    this.process = process;
  }

  /**
   * @param jar the packaged {@code alvlm.jar}
   * @param jvmArgs extra JVM flags (heap, log levels), before {@code -jar}
   */
  public static ServiceChild start(Path jar, Path config, Path log, List<String> jvmArgs) throws IOException {
    Objects.requireNonNull(config, "config");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with `mvn -DskipTests package` (bin/alvlm does)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-Dai.djl.offline=true", "-jar", jar.toAbsolutePath().toString(), "run", "--config",
        config.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DJL_OFFLINE", "true");
    // the child reads its settings from the file only: no ALVLM_* variable of the caller leaks in
    pb.environment().keySet().removeIf(k -> k.startsWith("ALVLM_"));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServiceChild(pb.start());
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM (the service closes cleanly), then SIGKILL if it is not gone within 60 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
