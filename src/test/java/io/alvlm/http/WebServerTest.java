package io.alvlm.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared HTTP layer over a real socket: methods, JSON bodies, limits and headers, written once. */
class WebServerTest {
  private WebServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Routes routes = new Routes()
        .get("/hello", r -> Reply.json(200, Map.of("hello", "world")))
        .post("/echo", r -> Reply.json(200, r.jsonObject()))
        .getUnder("/items/", r -> Reply.json(200, Map.of("item", r.path().substring("/items/".length()))))
        .getUnder("/items/special/", r -> Reply.json(200, Map.of("special", true)))
        .post("/boom", r -> {
          throw new IllegalStateException("secret detail");
        });
    server = WebServer.start("test-http", "127.0.0.1", 0, 2, Set.of("GET", "POST"), routes);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesExactPathsThenTheLongestPrefix() throws Exception {
    assertEquals("{\"hello\":\"world\"}", send("GET", "/hello", null).body());
    assertEquals("{\"item\":\"a-1\"}", send("GET", "/items/a-1", null).body());
    assertEquals("{\"special\":true}", send("GET", "/items/special/x", null).body());
    HttpResponse<String> missing = send("GET", "/nope", null);
    assertEquals(404, missing.statusCode());
    assertEquals("{\"error\":\"not found\"}", missing.body());
    assertEquals(404, send("POST", "/hello", "{}").statusCode(), "a GET route does not answer POST");
  }

  @Test
  void malformedJsonIsA400WithTheParsersMessage() throws Exception {
    HttpResponse<String> r = send("POST", "/echo", "{\"queryId\": ");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":\"malformed JSON at line 1, column "), r.body());
    HttpResponse<String> array = send("POST", "/echo", "[1, 2]");
    assertEquals(400, array.statusCode());
    assertEquals("{\"error\":\"want a JSON object, got a ArrayList\"}", array.body());
    assertEquals("{\"a\":1}", send("POST", "/echo", "{\"a\":1}").body());
  }

  @Test
  void methodsOutsideTheSetAreA405WithAllowOptionsIncluded() throws Exception {
    for (String m : new String[] {"OPTIONS", "PUT", "DELETE", "PATCH"}) {
      HttpResponse<String> r = send(m, "/hello", "{}");
      assertEquals(405, r.statusCode(), m);
      assertEquals("GET, HEAD, POST", r.headers().firstValue("Allow").orElse(""), m);
    }
  }

  @Test
  void bodiesOverTheLimitAreA413() throws Exception {
    HttpResponse<String> r = send("POST", "/echo", "{\"pad\":\"" + "x".repeat(WebServer.MAX_BODY) + "\"}");
    assertEquals(413, r.statusCode());
  }

  @Test
  void everyReplyCarriesTheSecurityHeadersAndFailuresRevealNoDetail() throws Exception {
    for (HttpResponse<String> r : java.util.List.of(send("GET", "/hello", null), send("GET", "/nope", null),
        send("OPTIONS", "/hello", null))) {
      assertEquals(WebServer.CSP, r.headers().firstValue("Content-Security-Policy").orElse(""));
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    }
    HttpResponse<String> boom = send("POST", "/boom", "{}");
    assertEquals(500, boom.statusCode());
    assertEquals("{\"error\":\"server error: IllegalStateException\"}", boom.body());
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws Exception {
    HttpResponse<String> r = send("HEAD", "/hello", null);
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
  }
}
