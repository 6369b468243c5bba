package io.alvlm.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side is read-only on every endpoint (anything but GET and HEAD is 405 and reaches no
 * view), and {@code http.bind} decides which addresses it listens on.
 */
class HttpApiSecurityTest {
  private static final List<String> PATHS = List.of("/metrics", "/health/live", "/health/ready", "/pool", "/images/img-1",
      "/rounds", "/model", "/", "/anything");

  /** A view that records whether any endpoint reached it. */
  private static final class CountingView implements HttpApi.View {
    int calls;

    private <T> T call(T v) {
      calls++;
      return v;
    }

    @Override public String metrics() { return call("m 1\n"); }
    @Override public boolean live() { return call(true); }
    @Override public boolean ready() { return call(true); }
    @Override public Map<String, Object> pool() { return call(Map.of("unlabeled", 1)); }
    @Override public Optional<Map<String, Object>> image(String id) { return call(Optional.of(Map.of("id", id))); }
    @Override public Object rounds() { return call(List.of()); }
    @Override public Optional<Map<String, Object>> model() { return call(Optional.empty()); }
  }

  private static int status(int port, String method, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setRequestMethod(method);
    if (method.equals("POST") || method.equals("PUT")) {
      c.setDoOutput(true);
      c.getOutputStream().write("{\"status\":\"LABELED\"}".getBytes());
    }
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void refusesEveryWritingMethodOnEveryEndpoint(String method) throws IOException {
    CountingView view = new CountingView();
    try (HttpApi api = HttpApi.start("127.0.0.1", 0, view)) {
      for (String path : PATHS) {
        int code = method.equals("PATCH") ? patch(api.port(), path) : status(api.port(), method, path);
        assertEquals(405, code, method + " " + path);
      }
    }
    assertEquals(0, view.calls, "a refused request never reaches the service's state");
  }

  /** HttpURLConnection cannot send PATCH; the JDK client can. */
  private static int patch(int port, String path) throws IOException {
    try {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
          .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void answersGetAndHead() throws IOException {
    try (HttpApi api = HttpApi.start("127.0.0.1", 0, new CountingView())) {
      assertEquals(200, status(api.port(), "GET", "/pool"));
      assertEquals(200, status(api.port(), "HEAD", "/images/img-1"));
      assertEquals(404, status(api.port(), "GET", "/model"));
    }
  }

  @Test
  void bindsToLoopbackOnlyWhenToldTo() throws IOException {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
    try (HttpApi api = HttpApi.start("127.0.0.1", 0, new CountingView())) {
      assertTrue(reachable(InetAddress.getLoopbackAddress(), api.port()));
      assertThrows(IOException.class, () -> connect(external.get(), api.port()), "not on " + external.get());
    }
    try (HttpApi api = HttpApi.start("0.0.0.0", 0, new CountingView())) {
      assertTrue(reachable(external.get(), api.port()), "the default 0.0.0.0 listens on every address");
    }
  }

  private static boolean reachable(InetAddress a, int port) throws IOException {
    connect(a, port);
    return true;
  }

  private static void connect(InetAddress a, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(a, port), 2000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
