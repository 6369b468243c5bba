package io.alvlm.deploy;

import io.alvlm.http.HttpApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** Asks the real {@link HttpApi} (over a stub view) whether it serves a path, for probes and scrape configs. */
final class HttpEndpoints {
  static final String METRICS = "/metrics";
  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";

  private HttpEndpoints() {}

  /** The HTTP status {@link HttpApi} answers a GET of {@code path} with (404: not an endpoint). */
  static int status(String path) throws Exception {
    try (HttpApi api = HttpApi.start("127.0.0.1", 0, new StubView())) {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static final class StubView implements HttpApi.View {
    @Override
    public String metrics() {
      return "# stub\n";
    }

    @Override
    public boolean live() {
      return true;
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public Map<String, Object> pool() {
      return Map.of();
    }

    @Override
    public Optional<Map<String, Object>> image(String id) {
      return Optional.empty();
    }

    @Override
    public Object rounds() {
      return java.util.List.of();
    }

    @Override
    public Optional<Map<String, Object>> model() {
      return Optional.empty();
    }
  }
}
