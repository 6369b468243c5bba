package io.alvlm.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The parts of Prometheus's HTTP API the soak and its checks read, against any Prometheus base URL
 * (the one {@link PrometheusProcess} started, or another). Answers are Prometheus's JSON as is.
 */
public final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public PrometheusApi(URI base) {
    this.base = java.util.Objects.requireNonNull(base);
  }

  public URI base() {
    return base;
  }

  /** GET on the API; the parsed JSON body whatever the status (errors carry "error"). */
  public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException(base.resolve(pathAndQuery) + " answered " + r.statusCode() + " with no JSON: " + r.body(), e);
    }
  }

  /** An instant query at the server's now: {@code status} is "success" or "error". */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The health of every active target ("up", "down", "unknown"), with the last scrape error. */
  public JsonNode targets() throws IOException, InterruptedException {
    return get("/api/v1/targets?state=active").path("data").path("activeTargets");
  }

  /** Asks it to read its config file again (it must run with {@code --web.enable-lifecycle}). */
  public void reload() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/reload")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("prometheus at " + base + " refused to reload its config: " + r.statusCode() + " " + r.body().strip());
    }
  }

  /** Whether the server says it is ready to serve queries ({@code /-/ready} answers 200). */
  public boolean ready() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }
}
