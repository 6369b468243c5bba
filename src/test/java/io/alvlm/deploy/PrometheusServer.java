package io.alvlm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/** A real {@code prometheus} process on a free loopback port with its own storage, and its HTTP API. */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /** The prometheus binary on the PATH, if any. */
  static Optional<Path> binary() {
    return executable("prometheus");
  }

  static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(":")).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

  static PrometheusServer start(Path config, Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary().orElseThrow().toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port), log);
    server.awaitReady(Duration.ofSeconds(30));
    return server;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    try {
      io.alvlm.Await.until("prometheus ready", timeout, () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
        }
        return http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200; // a refused connection: not listening yet, tried again
      });
    } catch (AssertionError e) {
      throw new IllegalStateException(e.getMessage() + ": " + Files.readString(log), e);
    }
  }

  /** GET on the API; the parsed JSON body whatever the status (errors carry "error"). */
  JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** An instant query: {@code status} is "success" or "error". */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The health of every active target ("up", "down", "unknown"), with the last scrape error. */
  JsonNode targets() throws IOException, InterruptedException {
    return get("/api/v1/targets?state=active").path("data").path("activeTargets");
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
