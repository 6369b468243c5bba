package io.alvlm.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code prometheus} process (Debian's package; {@code .ci/run} installs it) on a free loopback
 * port with its storage in a given directory, scraping a given set of roles. The soak and the tests
 * start Prometheus through this one class so that the dashboard is checked against the real server,
 * not a stand-in. Closing it stops the process.
 */
public final class PrometheusProcess implements AutoCloseable {
  /** The job name of the generated config: what {@code $job} stands for in dashboard queries. */
  public static final String JOB = "alvlm";
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9_.-]+:\\d{1,5}");
  private static final Duration READY = Duration.ofSeconds(30);
  private static final int TRIES = 3;
  private final Process process;
  private final PrometheusApi api;
  private final Path log;
  private final Path yml;
  private final Duration every;

  private PrometheusProcess(Process process, PrometheusApi api, Path log, Path yml, Duration every) {
    this.process = process;
    this.api = api;
    this.log = log;
    this.yml = yml;
    this.every = every;
  }

  /** The prometheus binary on the PATH, if any. */
  public static Optional<Path> binary() {
    return executable("prometheus");
  }

  /** An executable of that name on the PATH, if any (promtool, kubectl: tools the checks use when present). */
  public static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(":")).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

  /**
   * The config scraping {@code /metrics} of each {@code role -> host:port} every {@code every}, each
   * target labelled with its {@code role}, in one job named {@link #JOB}.
   */
  public static String config(Map<String, String> targets, Duration every) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("prometheus: no targets to scrape");
    }
    if (every.toMillis() < 1 || every.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("prometheus: scrape interval " + every + " is not a whole number of seconds >= 1 s");
    }
    StringBuilder yml = new StringBuilder("""
        global:
          scrape_interval: %ds
          scrape_timeout: %ds
        scrape_configs:
          - job_name: %s
            metrics_path: /metrics
            static_configs:
        """.formatted(every.toSeconds(), every.toSeconds(), JOB));
    targets.forEach((role, hostPort) -> {
      if (!ROLE.matcher(role).matches() || !HOST_PORT.matcher(hostPort).matches()) {
        throw new IllegalArgumentException("prometheus: target " + role + " -> " + hostPort
            + " is not a role of letters, digits, '_', '.', '-' mapped to host:port");
      }
      yml.append("      - targets: [\"").append(hostPort).append("\"]\n        labels: {role: ").append(role).append("}\n");
    });
    return yml.toString();
  }

  /**
   * Starts Prometheus scraping {@code targets} (role to host:port) every {@code every}; its config,
   * log and data go under {@code dir}. Returns once it answers {@code /-/ready}.
   */
  public static PrometheusProcess start(Path dir, Map<String, String> targets, Duration every)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path yml = dir.resolve("prometheus.yml");
    Files.writeString(yml, config(targets, every));
    Path binary = binary().orElseThrow(() -> new IllegalStateException(
        "prometheus: no prometheus binary on the PATH; install Debian's package: apt-get install -y prometheus"));
    IllegalStateException last = null;
    // the free port is only free until someone else takes it: a lost race is a bind error, tried again
    for (int i = 0; i < TRIES; i++) {
      int port = freePort();
      Path log = dir.resolve("prometheus.log");
      Process p = new ProcessBuilder(binary.toString(), "--config.file=" + yml, "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle", "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PrometheusProcess server = new PrometheusProcess(p, new PrometheusApi(URI.create("http://127.0.0.1:" + port)), log,
          yml, every);
      try {
        server.awaitReady();
        return server;
      } catch (IllegalStateException e) {
        server.close();
        last = e;
        if (!server.log().contains("address already in use")) break;
      }
    }
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long end = System.nanoTime() + READY.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log().strip());
      }
      try {
        if (api.ready()) return;
      } catch (IOException notListeningYet) {
        // a refused connection: the process is still starting
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("prometheus did not answer /-/ready within " + READY.toSeconds() + " s: " + log().strip());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Scrapes {@code targets} from now on, in place of the ones it had: a role restarted on another port
   * keeps its series (same job and role label), and nothing scraped so far is lost, as a restart of
   * Prometheus would not guarantee.
   */
  public void retarget(Map<String, String> targets) throws IOException, InterruptedException {
    Files.writeString(yml, config(targets, every));
    api.reload();
  }

  /** Its HTTP API. */
  public PrometheusApi api() {
    return api;
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return api.base();
  }

  /** What it has logged (warnings and errors only). */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
