package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.data.IdxDataset;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.topics.Topics;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A recheck end to end: the whole service on a real broker labels Fashion-MNIST images, some wrongly; the
 * next round's audit asks suspect labels again ({@code AnnotationRequest.reason = "recheck"}), and the
 * workbench in headless Chromium shows such a request with its "recheck" badge and ordinary picks without.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WorkbenchRecheckIT {
  private static final int IMAGES = 120;
  private static final String TOKEN = "carol-token-5d1e8a3b7c90f2";
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path state;

  @Test
  void theWorkbenchShowsARecheckAsOne() throws Exception {
    IdxDataset data = ServiceHarness.fashion();
    Topics topics = ServiceHarness.topics();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = ServiceHarness.settings(kafka, state);
      s.put("query.budget", "20");
      s.put("query.min-new", Integer.toString(IMAGES));
      s.put("query.interval.ms", "600000");
      s.put("train.min-new-labels", "100000");
      s.put("annotate.port", "0");
      s.put("annotate.tokens", "carol=" + TOKEN);
      s.put("query.recheck.share", "0.2");
      ServiceConfig config = ServiceConfig.of(s);
      try (AlvlmService service = AlvlmService.start(config); Workbench workbench = Workbench.start(config)) {
        ServiceHarness.produce(kafka, topics, data, 0, IMAGES);
        Set<String> first = ServiceHarness.readUntil(kafka, topics.queries.name(), topics.queries.valueSerde().deserializer(),
            l -> l.size() >= 20, Duration.ofSeconds(180)).stream().map(r -> r.value().getId()).collect(Collectors.toSet());
        assertEquals(20, first.size(), "the first round asked for 20 labels");
        // the other images labelled straight onto the labels topic: their true class, every 8th a wrong one
        int sent = 0;
        try (KafkaProducer<String, Label> labels = new KafkaProducer<>(new HashMap<>(kafka.clientConfig()), new StringSerializer(),
            topics.labels.valueSerde().serializer())) {
          for (int i = 0; i < IMAGES; i++) {
            String id = "img-" + i;
            if (first.contains(id)) continue;
            int cls = sent++ % 8 == 0 ? (data.label(i) + 3) % 10 : data.label(i);
            labels.send(new ProducerRecord<>(topics.labels.name(), id, Label.newBuilder().setId(id).setOutcome(LabelOutcome.LABELED)
                .setClassName(ServiceHarness.CLASSES.get(cls)).setAnnotator("it").setLabeledAt(Instant.now()).build()));
          }
        }
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + service.httpPort();
        int labelled = sent;
        new FluentWait<>(http).withTimeout(Duration.ofSeconds(120)).pollingEvery(Duration.ofMillis(200))
            .until(h -> labelledCount(h, api) >= labelled);
        ServiceHarness.produce(kafka, topics, data, IMAGES, 2 * IMAGES); // query.min-new more: the second round
        List<AnnotationRequest> asked = ServiceHarness.readUntil(kafka, topics.queries.name(),
            topics.queries.valueSerde().deserializer(), l -> l.size() >= 40, Duration.ofSeconds(180)).stream()
            .map(r -> r.value()).toList();
        List<AnnotationRequest> rechecks = asked.stream().filter(r -> r.getReason().equals("recheck")).toList();
        // how many labels the audit suspects depends on the embedding; the cap is PoolTopologyTest's to check
        assertTrue(!rechecks.isEmpty() && rechecks.size() <= 4, "suspect labels asked again, at most floor(0.2 × 20): "
            + rechecks.size());

        WebDriver carol = browser();
        try {
          carol.get("http://127.0.0.1:" + workbench.port() + "/");
          new WebDriverWait(carol, WAIT).until(x -> x.findElement(By.id("login-token")).isDisplayed());
          new Actions(carol).sendKeys(carol.findElement(By.id("login-token")), TOKEN + "\n").perform();
          new WebDriverWait(carol, WAIT).until(x -> x.findElement(By.id("desk")).isDisplayed());
          String q = null;
          String recheck = null;
          int picksSeen = 0;
          for (int i = 0; i < asked.size() && recheck == null; i++) {
            q = shownAfter(carol, q);
            boolean badge = carol.findElement(By.id("recheck")).isDisplayed();
            String why = carol.findElement(By.id("why")).getText();
            if (q.endsWith("-recheck")) {
              assertTrue(badge, "a recheck shows its badge");
              assertTrue(why.startsWith("A check: this image has a label already"), why);
              recheck = q;
            } else {
              assertFalse(badge, "an ordinary pick shows no recheck badge: " + q);
              assertTrue(why.contains("The model hesitates"), why);
              picksSeen++;
              new Actions(carol).sendKeys("s").perform();
            }
          }
          assertNotNull(recheck, "the workbench showed a recheck");
          assertTrue(picksSeen > 0, "and ordinary picks before it, without the badge");
        } finally {
          carol.quit();
        }
      }
    }
  }

  private static long labelledCount(HttpClient http, String api) {
    try {
      String metrics = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("alvlm_labels_total{") && l.contains("outcome=\"labeled\""))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return 0;
    }
  }

  private static WebDriver browser() {
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,860", "--disable-gpu");
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort().build(), o);
  }

  /** Waits until the page shows a request other than {@code previous}, with its image loaded; its query id. */
  private static String shownAfter(WebDriver d, String previous) {
    return new WebDriverWait(d, WAIT).until(x -> {
      String q = x.findElement(By.id("task")).getDomAttribute("data-query-id");
      boolean loaded = Boolean.TRUE.equals(((JavascriptExecutor) x).executeScript(
          "const i = document.getElementById('image'); return i.complete && i.naturalWidth > 0;"));
      return q != null && !q.isEmpty() && !q.equals(previous) && loaded ? q : null;
    });
  }
}
