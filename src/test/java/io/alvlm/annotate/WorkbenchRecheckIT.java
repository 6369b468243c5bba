package io.alvlm.annotate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PoolNotice;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A recheck end to end: the whole service on a real broker labels Fashion-MNIST images, some wrongly; the
 * next round's audit asks suspect labels again ({@code AnnotationRequest.reason = "recheck"}), and the
 * workbench in headless Chromium shows such a request with its "recheck" badge and ordinary picks without; its
 * answer shows in the progress table as the agreement of the annotator it checked, a pool notice of paused rounds
 * shows on the panel, and {@code alvlm rounds resume} sends its command to {@code alvlm.control}.
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

          // carol answers it: the pool counts it for "it", whose label it checked, and the progress table says so
          new Actions(carol).sendKeys("1").perform();
          // the panel redraws its table every 3 s: a row read as it is replaced is read again
          String row = new WebDriverWait(carol, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
              .until(x -> x.findElements(By.cssSelector("#annotators tbody tr")).stream()
              .map(WebElement::getText).filter(t -> t.startsWith("it ") && t.endsWith("(1)")).findFirst().orElse(null));
          assertTrue(row.endsWith("0.67 (1)") || row.endsWith("0.33 (1)"), "agreement (kept + 1) / (1 + 2): " + row);
          assertFalse(carol.findElement(By.id("paused")).isDisplayed(), "rounds run");

          // the pool's notice when the stopping rule pauses the rounds (it needs several retrainings to fire: a
          // notice as the pool writes it, on the real topic), and an operator's resume from the command line
          PoolNotice latest = ServiceHarness.readUntil(kafka, topics.notices.name(), topics.notices.valueSerde().deserializer(),
              l -> !l.isEmpty(), WAIT).stream().reduce((a, b) -> b).orElseThrow().value();
          try (KafkaProducer<String, PoolNotice> notices = new KafkaProducer<>(new HashMap<>(kafka.clientConfig()),
              new StringSerializer(), topics.notices.valueSerde().serializer())) {
            notices.send(new ProducerRecord<>(topics.notices.name(), "pool", PoolNotice.newBuilder(latest).setPaused(true)
                .setResumeAtImages(264).build())).get();
          }
          String paused = new WebDriverWait(carol, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
              .until(x -> x.findElement(By.id("paused")).isDisplayed()
              ? x.findElement(By.id("paused")).getText() : null);
          assertTrue(paused.startsWith("Rounds are paused") && paused.contains("264 images")
              && paused.contains("alvlm rounds resume"), paused);
        } finally {
          carol.quit();
        }
        Path props = state.resolve("resume.properties");
        java.nio.file.Files.writeString(props, s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")));
        assertEquals(0, io.alvlm.cli.Alvlm.commandLine(Map.of()).execute("rounds", "resume", "--config", props.toString()));
        io.alvlm.avro.RoundControl sentResume = ServiceHarness.readUntil(kafka, topics.control.name(),
            topics.control.valueSerde().deserializer(), l -> !l.isEmpty(), WAIT).get(0).value();
        assertEquals(io.alvlm.avro.RoundAction.RESUME, sentResume.getAction());
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
