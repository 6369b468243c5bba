package io.alvlm.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code alvlm run} as a separate JVM from the packaged jar (integration tests run after
 * {@code package}), so a test can kill it with SIGKILL and start it again.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;

  private ServiceProcess(Process process) {
    this.process = process;
  }

  public static ServiceProcess start(Path config, Path log) throws IOException {
    Path jar = Path.of("target/alvlm.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " missing: integration tests run after `mvn package`");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-jar", jar.toString(), "run",
        "--config", config.toString()));
    pb.environment().put("DJL_OFFLINE", "true");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServiceProcess(pb.start());
  }

  /** SIGKILL: no shutdown hook, no commit, no clean close. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
