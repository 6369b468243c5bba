package io.alvlm.annotate;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.data.IdxDataset;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workbench in Debian's headless Chromium, driven by WebDriver, against the whole service on a
 * real broker with the demo's Fashion-MNIST images: two annotators log in, label with the keyboard
 * only, undo, and never see the same request; forged writes are refused and write nothing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WorkbenchBrowserIT {
  private static final int IMAGES = 160;
  private static final String ALICE = "alice-token-7f3a9c1e55d2";
  private static final String BOB = "bob-token-0b8e62d4a9f1c3";
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path state;

  @Test
  void annotatorsLabelWithTheKeyboardAndUndo() throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, state);
      s.put("query.budget", "30");
      s.put("query.min-new", Integer.toString(IMAGES));
      s.put("query.interval.ms", "600000");
      s.put("train.min-new-labels", "100000");
      s.put("annotate.port", "0");
      s.put("annotate.tokens", "alice=" + ALICE + ",bob=" + BOB);
      ServiceConfig config = ServiceConfig.of(s);
      try (AlvlmService service = AlvlmService.start(config); Workbench workbench = Workbench.start(config)) {
        ServiceHarness.produce(kafka, topics, data, 0, IMAGES);
        Map<String, AnnotationRequest> asked = new HashMap<>();
        ServiceHarness.readUntil(kafka, topics.queries.name(), topics.queries.valueSerde().deserializer(),
            l -> l.size() >= 30, Duration.ofSeconds(180)).forEach(r -> asked.put(r.value().getQueryId(), r.value()));
        assertEquals(30, asked.size(), "the round asked for 30 labels");
        String base = "http://127.0.0.1:" + workbench.port() + "/";
        WebDriver alice = browser();
        WebDriver bob = browser();
        try {
          login(alice, base, ALICE);
          login(bob, base, BOB);
          String bobFirst = shown(bob, null);
          Set<String> bobs = new HashSet<>();
          Set<String> alices = new HashSet<>();
          Map<String, String> aliceClass = new LinkedHashMap<>();
          // bob: one skip and one "none of these"
          String q = bobFirst;
          for (String key : List.of("s", "n")) {
            bobs.add(q);
            press(bob, key);
            q = shown(bob, q);
          }
          String bobHeld = q;
          q = shown(alice, null);
          for (int i = 0; i < 20; i++) {
            assertTrue(alices.add(q), "alice is shown " + q + " twice");
            int choice = i % 3;
            aliceClass.put(q, asked.get(q).getGuesses().get(choice).getClassName());
            if (i == 10) {
              screenshot(alice);
            }
            press(alice, Integer.toString(choice + 1));
            q = shown(alice, q);
          }
          bobs.add(bobHeld);
          assertTrue(alices.stream().noneMatch(bobs::contains), "alice and bob never get the same request");

          String last = new ArrayList<>(aliceClass.keySet()).get(19);
          press(alice, "z");
          new WebDriverWait(alice, WAIT).until(d -> last.equals(taskAttr(d, "queryId")) && "true".equals(taskAttr(d, "correcting")));
          String corrected = asked.get(last).getGuesses().get(0).getClassName();
          assertNotEquals(aliceClass.get(last), corrected, "the correction picks another class");
          press(alice, "1");
          String held = shown(alice, last);

          // forged writes for the request alice now holds: no cookie, no CSRF token, a wrong one
          Cookie session = alice.manage().getCookieNamed("alvlm_session");
          assertTrue(session.isHttpOnly(), "session cookie is HttpOnly");
          assertEquals("Strict", session.getSameSite());
          String forged = "{\"queryId\":\"" + held + "\",\"outcome\":\"LABELED\",\"className\":\"Bag\"}";
          assertEquals(401, post(base, forged, null, null).statusCode());
          assertEquals(403, post(base, forged, session.getValue(), null).statusCode());
          assertEquals(403, post(base, forged, session.getValue(), "not-the-token").statusCode());
          String csrf = csrfOf(base, session.getValue());
          String oversized = "{\"queryId\":\"" + held + "\",\"outcome\":\"LABELED\",\"className\":\"Bag\",\"pad\":\""
              + "x".repeat(70_000) + "\"}";
          assertEquals(413, post(base, oversized, session.getValue(), csrf).statusCode(), "a body over 64 KiB");
          HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
          String heldClass = asked.get(held).getGuesses().get(1).getClassName();
          press(alice, "2");
          shown(alice, held);

          List<ConsumerRecord<String, Label>> labels = ServiceHarness.readUntil(kafka, topics.labels.name(),
              topics.labels.valueSerde().deserializer(), l -> l.size() >= 24, WAIT);
          assertEquals(24, labels.size(), "20 + the correction + bob's 2 + the held one: " + labels);
          Map<String, List<Label>> byQuery = new HashMap<>();
          labels.forEach(r -> byQuery.computeIfAbsent(r.value().getQueryId(), k -> new ArrayList<>()).add(r.value()));
          aliceClass.forEach((query, cls) -> {
            Label l = byQuery.get(query).get(0);
            assertEquals(asked.get(query).getId(), l.getId());
            assertEquals(cls, l.getClassName());
            assertEquals("alice", l.getAnnotator());
            assertEquals(LabelOutcome.LABELED, l.getOutcome());
            assertTrue(!l.getCorrection() && l.getTimeSpentMs() > 0);
          });
          Label fix = byQuery.get(last).get(1);
          assertTrue(fix.getCorrection(), "the second label of the undone request is a correction");
          assertEquals(corrected, fix.getClassName());
          assertEquals(List.of(LabelOutcome.SKIPPED, LabelOutcome.NONE_OF_THESE), List.of(
              byQuery.get(bobFirst).get(0).getOutcome(), byQuery.get(new ArrayList<>(bobs).stream()
                  .filter(x -> !x.equals(bobFirst) && !x.equals(bobHeld)).findFirst().orElseThrow()).get(0).getOutcome()));
          assertEquals(List.of(heldClass), byQuery.get(held).stream().map(l -> String.valueOf(l.getClassName())).toList(),
              "only alice's own answer reached the held request: the forged ones wrote nothing");

          // the pool acts on them: the correction is a relabel
          HttpClient http = HttpClient.newHttpClient();
          String api = "http://127.0.0.1:" + service.httpPort();
          new WebDriverWait(alice, WAIT).until(d -> get(http, api + "/metrics").contains("alvlm_labels_total{outcome=\"relabel\"} 1.0"));
          assertTrue(get(http, api + "/images/" + asked.get(last).getId()).contains("\"label\":\"" + corrected + "\""));
        } finally {
          alice.quit();
          bob.quit();
        }
      }
    }
  }

  private static WebDriver browser() {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,860", "--disable-gpu");
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort().build();
    return new ChromeDriver(svc, o);
  }

  private static void login(WebDriver d, String base, String token) {
    d.get(base);
    new WebDriverWait(d, WAIT).until(x -> x.findElement(By.id("login-token")).isDisplayed());
    new Actions(d).sendKeys(d.findElement(By.id("login-token")), token + "\n").perform();
    new WebDriverWait(d, WAIT).until(x -> x.findElement(By.id("desk")).isDisplayed());
  }

  private static String taskAttr(WebDriver d, String name) {
    return d.findElement(By.id("task")).getDomAttribute("data-" + name.replaceAll("([A-Z])", "-$1").toLowerCase());
  }

  /** Waits until the page shows a request other than {@code previous}, with its image loaded. */
  private static String shown(WebDriver d, String previous) {
    return new WebDriverWait(d, WAIT).until(x -> {
      String q = taskAttr(x, "queryId");
      boolean loaded = Boolean.TRUE.equals(((JavascriptExecutor) x).executeScript(
          "const i = document.getElementById('image'); return i.complete && i.naturalWidth > 0;"));
      return q != null && !q.isEmpty() && !q.equals(previous) && loaded ? q : null;
    });
  }

  private static void press(WebDriver d, String key) {
    new Actions(d).sendKeys(key).perform();
  }

  private static void screenshot(WebDriver d) throws Exception {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("docs/workbench.png"), png);
  }

  /** The CSRF token of a session, as the page reads it. */
  private static String csrfOf(String base, String session) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/session"))
        .header("Cookie", "alvlm_session=" + session).build(), HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("csrf").asText();
  }

  private static HttpResponse<String> post(String base, String body, String session, String csrf) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "api/answer")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Cookie", "alvlm_session=" + session);
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }
}
