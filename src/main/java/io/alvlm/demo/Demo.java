package io.alvlm.demo;

import io.alvlm.annotate.Workbench;
import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.IdxDataset;
import io.alvlm.selection.Vectors;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The README's main command: an embedded broker, the whole service in this JVM, Fashion-MNIST images
 * streamed in, a {@link SimulatedAnnotator}, and a report per round of labels used, held-out test
 * accuracy of the current prompt model, query time and training time.
 */
public final class Demo {
  /** Fashion-MNIST's classes. */
  public static final int CLASSES = 10;
  /** Where {@code --full} reads the Debian package dataset-fashion-mnist. */
  public static final Path FULL_DATASET = Path.of("/usr/share/datasets/fashion-mnist");
  /** With {@code --annotate}: the trainer retrains after this many new labels, whatever round they answer. */
  static final int ANNOTATE_RETRAIN_LABELS = 10;
  /** How long the Ctrl-C hook waits for the demo to print its summary and remove its state. */
  private static final long STOP_WAIT_SECONDS = 60;

  private Demo() {}

  /** What {@code alvlm demo} was asked for. */
  public record Options(Path model, int rounds, String budget, String strategy, int images, int testImages, int epochs,
      double lr, boolean csc, boolean full, int timeoutSeconds, boolean annotate) {}

  /** One line of the report. */
  record Row(long round, String trigger, int selected, double queryMs, long modelVersion, int labels, double accuracy,
      double trainSeconds) {}

  static Path home() {
    return Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath().normalize();
  }

  /** Runs the demo; true when every round ran and was answered. */
  public static boolean run(Options o, PrintStream out) throws Exception {
    boolean tiny = o.model() == null;
    Path modelDir = tiny ? home().resolve("models/clip-tiny") : o.model();
    Path dataDir = o.full() ? FULL_DATASET : home().resolve("data/fashion-mnist");
    IdxDataset train = IdxDataset.read(dataDir, "train");
    IdxDataset test = IdxDataset.read(dataDir, "t10k");
    List<String> classes = Files.readAllLines(home().resolve("data/fashion-mnist/classes.txt")).stream()
        .filter(s -> !s.isBlank()).toList();
    int nTrain = Math.min(o.images(), train.size());
    int nTest = Math.min(o.testImages(), test.size());
    out.printf("alvlm demo: Fashion-MNIST, %d pool images, %d test images, %d classes, strategy %s, budget %s/round%n",
        nTrain, nTest, classes.size(), o.strategy(), o.budget());
    out.println(tiny
        ? "model: tiny CLIP with RANDOM weights (models/clip-tiny) - accuracy only shows that the loop learns; use --model DIR for a real CLIP"
        : "model: " + modelDir);
    long t0 = System.nanoTime();
    Files.createDirectories(home().resolve("target"));
    Path state = Files.createTempDirectory(home().resolve("target"), "demo-state-");
    // Ctrl-C: the loop below stops, prints its summary, closes everything and removes the state, and
    // only then does the JVM halt (it halts as soon as its shutdown hooks return)
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch cleaned = new java.util.concurrent.CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        cleaned.await(STOP_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "alvlm-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      out.printf("broker: embedded KRaft at %s (%.1f s)%n", kafka.bootstrapServers(), (System.nanoTime() - t0) / 1e9);
      Map<String, String> settings = new HashMap<>();
      settings.put("bootstrap.servers", kafka.bootstrapServers());
      settings.put("state.dir", state.toString());
      settings.put("model.dir", modelDir.toString());
      settings.put("classes", String.join(",", classes));
      settings.put("query.strategy", o.strategy());
      settings.put("query.budget", o.budget());
      settings.put("query.min-new", Integer.toString(nTrain));
      // rounds follow the answers, never the clock: the simulated annotator completes a round and the
      // retraining's model opens the next; a person's labels retrain every few and the open requests
      // falling below a third of a round open the next (query.open-below)
      settings.put("query.interval.ms", Long.toString(java.util.concurrent.TimeUnit.DAYS.toMillis(1)));
      settings.put("query.tick.ms", "250");
      settings.put("train.min-new-labels", o.annotate() ? Integer.toString(ANNOTATE_RETRAIN_LABELS) : "1000000");
      if (o.annotate()) {
        settings.put("query.open-below", Integer.toString(Math.max(1,
            io.alvlm.selection.Budget.parse(o.budget()).images(nTrain, classes.size()) / 3)));
      }
      settings.put("train.epochs", Integer.toString(o.epochs()));
      settings.put("train.lr", Double.toString(o.lr()));
      settings.put("train.csc", Boolean.toString(o.csc()));
      settings.put("train.gate", "always");
      settings.put("topics.images.partitions", "2");
      settings.put("embed.batch.size", "64");
      settings.put("embed.max.wait.ms", "300");
      settings.put("http.port", "0");
      settings.put("http.bind", "127.0.0.1");
      if (tiny) {
        // random weights embed the images above query.dedup.cosine of one another: every pick would be a near-copy
        settings.put("query.dedup.cosine", "off");
      }
      if (!o.annotate()) {
        settings.put("query.recheck.share", "0"); // the simulated annotator never errs: a recheck would only cost a label
      }
      ServiceConfig config = ServiceConfig.of(settings);
      Topics topics = new Topics(AvroSerdes.from(config.asMap()));
      Map<String, String> truth = new HashMap<>();
      float[][] testFeatures = embedTest(modelDir, test, nTest);
      out.printf("[%5.1fs] test set embedded%n", secs(t0));
      if (stop.get()) {
        out.println("demo stopped (Ctrl-C) before the service started");
        return false;
      }
      if (o.annotate()) {
        // a person answers: the workbench replaces the simulated annotator, with a one-off token
        String token = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        config = config.with(Map.of("annotate.port", "0", "annotate.tokens", "demo=" + token));
        try (AlvlmService service = AlvlmService.start(config); Workbench workbench = Workbench.start(config)) {
          out.printf("service: running, HTTP on http://127.0.0.1:%d (/metrics, /pool, /rounds, /model)%n", service.httpPort());
          out.printf("workbench: http://127.0.0.1:%d/ token %s%n", workbench.port(), token);
          produceImages(config, topics, train, nTrain, classes, truth);
          out.printf("producer: %d images sent to %s%n", nTrain, topics.images.name());
          int[] testLabels = java.util.stream.IntStream.range(0, nTest).map(test::label).toArray();
          return watch(o, config, topics, testLabels, testFeatures, () -> -1, out, t0, stop);
        }
      }
      try (AlvlmService service = AlvlmService.start(config);
          SimulatedAnnotator annotator = new SimulatedAnnotator(AlvlmService.clientConfig(config), topics, truth::get)) {
        out.printf("service: running, HTTP on http://127.0.0.1:%d (/metrics, /pool, /rounds, /model)%n", service.httpPort());
        produceImages(config, topics, train, nTrain, classes, truth);
        out.printf("producer: %d images sent to %s%n", nTrain, topics.images.name());
        int[] testLabels = java.util.stream.IntStream.range(0, nTest).map(test::label).toArray();
        return watch(o, config, topics, testLabels, testFeatures, annotator::answered, out, t0, stop);
      }
    } finally {
      deleteTree(state);
      cleaned.countDown();
      if (!stop.get()) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
  }

  private static float[][] embedTest(Path modelDir, IdxDataset test, int n) throws Exception {
    try (ClipModel clip = ClipModel.load(modelDir)) {
      var pre = clip.preprocessor(40_000_000L);
      List<float[]> px = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        px.add(pre.preprocess(test.png(i)));
      }
      float[][] f = clip.embedImages(px);
      for (int i = 0; i < f.length; i++) {
        f[i] = Vectors.normalizedRows(f[i], f[i].length);
      }
      return f;
    }
  }

  private static void produceImages(ServiceConfig config, Topics topics, IdxDataset train, int n, List<String> classes,
      Map<String, String> truth) {
    Map<String, Object> p = new HashMap<>(AlvlmService.clientConfig(config));
    p.put("enable.idempotence", true);
    p.put("acks", "all");
    p.put("linger.ms", 20);
    try (KafkaProducer<String, ImageEvent> producer =
        new KafkaProducer<>(p, new StringSerializer(), topics.images.valueSerde().serializer())) {
      for (int i = 0; i < n; i++) {
        String id = "fmnist-train-" + i;
        truth.put(id, classes.get(train.label(i)));
        ImageEvent e = ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(train.png(i))).setContentType("image/png")
            .setSource("fashion-mnist").setTimestamp(Instant.now()).build();
        producer.send(new ProducerRecord<>(topics.images.name(), id, e));
      }
      producer.flush();
    }
  }

  private static boolean watch(Options o, ServiceConfig config, Topics topics, int[] testLabels,
      float[][] testFeatures, java.util.function.IntSupplier answered, PrintStream out, long t0,
      java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
    Map<String, Object> c = new HashMap<>(AlvlmService.clientConfig(config));
    c.put("group.id", "alvlm-demo-watch-" + System.nanoTime());
    c.put("isolation.level", "read_committed");
    c.put("auto.offset.reset", "earliest");
    List<Row> rows = new ArrayList<>();
    QueryRound lastRound = null;
    double zeroShot = Double.NaN;
    long deadline = System.nanoTime() + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
    try (KafkaConsumer<String, QueryRound> rounds = new KafkaConsumer<>(c, new StringDeserializer(),
            topics.rounds.valueSerde().deserializer());
        KafkaConsumer<String, PromptModel> models = new KafkaConsumer<>(c, new StringDeserializer(),
            topics.models.valueSerde().deserializer())) {
      rounds.subscribe(List.of(topics.rounds.name()));
      models.subscribe(List.of(topics.models.name()));
      while (System.nanoTime() < deadline && !stop.get()) {
        for (ConsumerRecord<String, QueryRound> r : rounds.poll(Duration.ofMillis(100))) {
          lastRound = r.value();
          out.printf("[%5.1fs] round %d (%s): %d images requested of %d unlabelled, query %.0f ms%n", secs(t0),
              lastRound.getRound(), lastRound.getTrigger(), lastRound.getSelected(), lastRound.getUnlabeled(),
              lastRound.getTimingsMs().getOrDefault("round_total", Double.NaN));
        }
        for (ConsumerRecord<String, PromptModel> r : models.poll(Duration.ofMillis(100))) {
          PromptModel m = r.value();
          double acc = accuracy(m, testFeatures, testLabels);
          if (m.getVersion() == 0) {
            zeroShot = acc;
            out.printf("[%5.1fs] model v0 (zero-shot prompts): test accuracy %.1f%%%n", secs(t0), 100 * acc);
            continue;
          }
          int labels = (int) Math.round(m.getMetrics().getOrDefault("train_labels", 0.0) + m.getMetrics().getOrDefault("heldout_labels", 0.0));
          double trainS = m.getMetrics().getOrDefault("train_seconds", Double.NaN);
          Row row = new Row(lastRound == null ? 0 : lastRound.getRound(), lastRound == null ? "" : lastRound.getTrigger(),
              lastRound == null ? 0 : lastRound.getSelected(),
              lastRound == null ? Double.NaN : lastRound.getTimingsMs().getOrDefault("round_total", Double.NaN),
              m.getVersion(), labels, acc, trainS);
          rows.add(row);
          out.printf("[%5.1fs] model v%d after round %d: %d labels, test accuracy %.1f%%, trained in %.1f s%n", secs(t0),
              m.getVersion(), row.round(), labels, 100 * acc, trainS);
        }
        if (rows.size() >= o.rounds()) {
          break;
        }
      }
    }
    out.println();
    out.printf("%-6s %-8s %-10s %-10s %s%n", "round", "labels", "accuracy", "query ms", "train s");
    out.printf("%-6s %-8d %-10s %-10s %s%n", "0", 0, String.format("%.1f%%", 100 * zeroShot), "-", "-");
    for (Row r : rows) {
      out.printf("%-6d %-8d %-10s %-10.0f %.1f%n", r.round(), r.labels(), String.format("%.1f%%", 100 * r.accuracy()),
          r.queryMs(), r.trainSeconds());
    }
    boolean ok = rows.size() >= o.rounds();
    String result = ok ? "demo finished"
        : (stop.get() ? "demo stopped (Ctrl-C)" : "demo TIMED OUT") + " after " + rows.size() + " of " + o.rounds() + " rounds";
    if (answered.getAsInt() < 0) {
      out.printf("%s in %.0f s; labels answered in the workbench%n", result, secs(t0));
    } else {
      out.printf("%s in %.0f s; %d labels answered by the simulated annotator%n", result, secs(t0), answered.getAsInt());
    }
    return ok;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static double accuracy(PromptModel m, float[][] testFeatures, int[] testLabels) {
    return io.alvlm.coop.PromptModel.fromAvro(m).accuracy(testFeatures, testLabels).top1();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
