package io.alvlm.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code alvlm run --config FILE} (or another command or class of the jar) as a separate JVM started
 * from the packaged jar, its output appended to a log file, so that a chaos run or a soak can kill it
 * with SIGKILL (no shutdown hook, no commit, no clean close), freeze it with SIGSTOP, and start it again.
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
    return launch(jar, jvmArgs, List.of("-jar", jar.toAbsolutePath().toString(), "run", "--config",
        config.toAbsolutePath().toString()), log);
  }

  /**
   * Any class of the jar as its own JVM, with the launcher's settings ({@code bin/alvlm}: an
   * out-of-memory error ends the process; two glibc arenas), its output appended to {@code log}.
   *
   * @param main what follows the JVM flags: {@code -jar JAR COMMAND ARGS} or {@code -cp JAR CLASS ARGS}
   */
  public static ServiceChild launch(Path jar, List<String> jvmArgs, List<String> main, Path log) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with `mvn -DskipTests package` (bin/alvlm does)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true"));
    cmd.addAll(main);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().put("MALLOC_MMAP_THRESHOLD_", "1048576");
    // the child reads its settings from the file only: no ALVLM_* variable of the caller leaks in
    pb.environment().keySet().removeIf(k -> k.startsWith("ALVLM_"));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServiceChild(pb.start());
  }

  /** SIGSTOP: the process is frozen (no heartbeat, no I/O) until {@link #resume()}. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed (" + rc + ")");
    }
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

  /** Whether the process ended by itself, with its exit status. */
  public java.util.OptionalInt exitStatus() {
    return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
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
