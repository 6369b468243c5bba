package io.alvlm.soak;

import io.alvlm.chaos.ServiceChild;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * One process of a soak, started from the packaged jar again and again under one name: a role
 * ({@code embedder-1}, {@code pool}, ...) or a server ({@code broker}, {@code registry}). Knows how to
 * ask whether it is healthy, and, for a role, where its metrics are and which consumer group it is in.
 * Its name is the one in samples.csv and in the run's lines; {@code group} (null for a server) is
 * stable with {@code members} members when all is well.
 */
final class SoakProcess {
  /** Whether the process serves (its readiness endpoint, a broker that answers). */
  @FunctionalInterface
  interface Probe {
    boolean ok() throws Exception;
  }

  final String name;
  final URI metrics;
  final String group;
  final int members;
  private final Path jar;
  private final List<String> jvmArgs;
  private final List<String> main;
  private final Path log;
  private final Probe health;
  private volatile ServiceChild child;

  SoakProcess(String name, Path jar, List<String> jvmArgs, List<String> main, Path log, Probe health, URI metrics,
      String group, int members) {
    this.name = name;
    this.jar = jar;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.main = List.copyOf(main);
    this.log = log;
    this.health = health;
    this.metrics = metrics;
    this.group = group;
    this.members = members;
  }

  void start() throws IOException {
    child = ServiceChild.launch(jar, jvmArgs, main, log);
  }

  /** SIGKILL, waiting until it is gone; returns the pid it had. */
  long kill() throws InterruptedException {
    long pid = pid();
    child.kill();
    return pid;
  }

  /** SIGTERM, waiting for a clean close (SIGKILL after 60 s). */
  void stop() throws IOException, InterruptedException {
    ServiceChild c = child;
    if (c != null) {
      if (c.alive()) {
        c.resume(); // a SIGTERM waits while the process is stopped
      }
      c.close();
    }
  }

  void pause() throws IOException, InterruptedException {
    child.pause();
  }

  void resume() throws IOException, InterruptedException {
    child.resume();
  }

  long pid() {
    return child.pid();
  }

  boolean alive() {
    ServiceChild c = child;
    return c != null && c.alive();
  }

  /** The exit status if it ended (by itself or not). */
  OptionalInt exitStatus() {
    return child.exitStatus();
  }

  /** Alive and its probe says yes (a probe that throws says no). */
  boolean healthy() {
    try {
      return alive() && health.ok();
    } catch (Exception e) {
      return false;
    }
  }
}
