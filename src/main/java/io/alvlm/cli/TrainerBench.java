package io.alvlm.cli;

import io.alvlm.avro.ImageEvent;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.IdxDataset;
import io.alvlm.data.VectorBytes;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench trainer}: the whole service ({@code --role all}, one JVM, embedded broker) with
 * Fashion-MNIST images flowing through the embedder without pause, then {@code --labels} labelled
 * examples over {@code --classes} classes on the training topic, which start one retraining. Measures,
 * while it runs, the longest gap between two consecutive steps (record or punctuation, every task
 * punctuating each 50 ms) of each stream thread, and the embedder's images/s; the baseline is the same
 * two figures over an idle window just before (after a warm-up of a pass over the image ids and 30 s).
 * The retraining's length follows {@code --epochs} and the model's text tower ({@code --model}, e.g. a
 * larger one from {@code bench/random_clip.py}); it is printed, with a note when under 30 s.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Stream-thread stalls and embedder throughput while a retraining runs, vs an idle window before it.")
final class TrainerBench implements Callable<Integer> {
  private static final long TICK_MS = 50;

  @Option(names = "--model", description = "Hugging Face CLIP or SigLIP directory (default: models/clip-tiny).") Path model;
  @Option(names = "--classes", defaultValue = "100", description = "Classes (default ${DEFAULT-VALUE}).") int classes;
  @Option(names = "--labels", defaultValue = "2000", description = "Labelled examples that start the retraining (default ${DEFAULT-VALUE}).") int labels;
  @Option(names = "--epochs", defaultValue = "40", description = "CoOp epochs of the retraining (default ${DEFAULT-VALUE}; "
      + "docs/benchmarks.md has how long it ran).") int epochs;
  @Option(names = "--idle-seconds", defaultValue = "20", description = "Idle window measured before the retraining (default ${DEFAULT-VALUE}).") double idleSeconds;
  @Option(names = "--pool", defaultValue = "2000", description = "Distinct image ids fed in a loop (default ${DEFAULT-VALUE}).") int poolIds;
  @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic features (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--timeout-minutes", defaultValue = "30", description = "Give up after (default ${DEFAULT-VALUE}).") long timeoutMinutes;

  private BenchDeadline limit;

  @Override
  public Integer call() throws Exception {
    limit = new BenchDeadline("bench trainer", timeoutMinutes);
    Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath();
    Path modelDir = model != null ? model : home.resolve("models/clip-tiny");
    List<String> names = IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
    IdxDataset data = IdxDataset.read(home.resolve("data/fashion-mnist"), "train");
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < Math.min(poolIds, data.size()); i++) pngs.add(data.png(i));
    Path state = Files.createTempDirectory("alvlm-bench-trainer-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> s = settings(kafka, state, modelDir, names);
      float[][] features;
      try (ClipModel clip = ClipModel.load(modelDir)) {
        features = features(clip.projectionDim());
      }
      int chosen = epochs;
      s.put("train.epochs", Integer.toString(chosen));
      ServiceConfig config = ServiceConfig.of(s);
      System.out.printf("bench trainer: model %s, %d classes, %d labels, %d epochs (batch %d, holdout %.2f), "
          + "images from %d ids in a loop; load average %.2f%n", modelDir, classes, labels, chosen,
          config.get(Settings.TRAIN_BATCH), config.get(Settings.TRAIN_HOLDOUT), pngs.size(), BenchDeadline.load());
      Topics topics = new Topics(AvroSerdes.from(config.asMap()));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        new TopicProvisioner(admin).ensure(TopicSpecs.from(config), true);
      }
      return measure(kafka, config, topics, pngs, names, features, chosen);
    } finally {
      try (var w = Files.walk(state)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private Map<String, String> settings(EmbeddedKafka kafka, Path state, Path modelDir, List<String> names) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", kafka.bootstrapServers());
    s.put("state.dir", state.toString());
    s.put("model.dir", modelDir.toString());
    s.put("role", "all");
    s.put("classes", String.join(",", names));
    s.put("http.port", "-1");
    s.put("topics.images.partitions", "1");
    // every task punctuates each 50 ms, so a thread that is not stalled steps at least that often
    s.put("query.tick.ms", Long.toString(TICK_MS));
    s.put("embed.max.wait.ms", Long.toString(TICK_MS * 4));
    // no query round: the pool only takes arrivals in
    s.put("query.min-new", Integer.toString(Integer.MAX_VALUE));
    s.put("query.interval.ms", "86400000");
    // one retraining, on all the labels, published whatever its accuracy
    s.put("train.min-new-labels", Integer.toString(labels));
    s.put("train.gate", "always");
    return s;
  }

  /** Image-like features: a random direction per class plus noise; example i is of class i % classes. */
  private float[][] features(int dim) {
    Random r = new Random(seed);
    float[][] centre = new float[classes][dim];
    for (float[] c : centre) for (int d = 0; d < dim; d++) c[d] = (float) r.nextGaussian();
    float[][] x = new float[labels][dim];
    for (int i = 0; i < labels; i++) {
      for (int d = 0; d < dim; d++) x[i][d] = centre[i % classes][d] + 0.5f * (float) r.nextGaussian();
    }
    return x;
  }

  private int measure(EmbeddedKafka kafka, ServiceConfig config, Topics topics, List<byte[]> pngs, List<String> names,
      float[][] features, int chosen) throws Exception {
    AtomicBoolean feeding = new AtomicBoolean(true);
    try (AlvlmService service = AlvlmService.start(config)) {
      MeterRegistry reg = service.registry();
      Thread feeder = new Thread(() -> feed(kafka, topics, pngs, reg, feeding), "bench-image-feeder");
      feeder.setDaemon(true);
      feeder.start();
      try {
        // JIT warm-up (a minute and three passes over the ids), and the pool holds every id with its
        // neighbour lists folded in: from here on it only drops repeats
        long warm = System.nanoTime() + 60_000_000_000L;
        limit.await("warm-up", () -> unlabeled(reg) >= pngs.size() && embedded(reg) >= 3.0 * pngs.size()
            && reg.find("alvlm.pool.index.unfolded").gauge().value() == 0 && modelVersion(reg) >= 0
            && System.nanoTime() > warm);
        var gaps = service.metrics().streamThreadGaps();
        gaps.reset();
        double e0 = embedded(reg);
        long t0 = System.nanoTime();
        long idleEnd = t0 + (long) (idleSeconds * 1e9);
        limit.await("idle window", () -> System.nanoTime() >= idleEnd);
        double idleRate = (embedded(reg) - e0) / ((System.nanoTime() - t0) / 1e9);
        Map<String, Long> idleGaps = gaps.longest();
        System.out.printf("idle: embedder %.0f images/s; longest gap per stream thread %s; load average %.2f%n",
            idleRate, seconds(idleGaps), BenchDeadline.load());

        sendLabels(kafka, topics, names, features);
        limit.await("retraining start", () -> gauge(reg, "alvlm.trainer.running") >= 1);
        gaps.reset();
        double e1 = embedded(reg);
        long t1 = System.nanoTime();
        limit.await("retraining end", () -> gauge(reg, "alvlm.trainer.running") < 1);
        double during = (embedded(reg) - e1) / ((System.nanoTime() - t1) / 1e9);
        Map<String, Long> trainGaps = gaps.longest();
        limit.await("retraining result", () -> modelVersion(reg) >= 1 || rejected(reg) >= 1);
        double trainSeconds = reg.get("alvlm.trainer.train").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS);
        double maxStall = trainGaps.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1e9;
        System.out.printf("retraining: %.1f s, %d epochs, trainings %d, rejected %.0f; longest gap per stream "
            + "thread %s; load average %.2f%n", trainSeconds, chosen, reg.get("alvlm.trainer.train").timer().count(),
            rejected(reg),
            seconds(trainGaps), BenchDeadline.load());
        gaps.reset();
        double e2 = embedded(reg);
        long t2 = System.nanoTime();
        long afterEnd = t2 + (long) (idleSeconds * 1e9);
        limit.await("idle window after", () -> System.nanoTime() >= afterEnd);
        System.out.printf("idle after: embedder %.0f images/s; longest gap per stream thread %s; load average %.2f%n",
            (embedded(reg) - e2) / ((System.nanoTime() - t2) / 1e9), seconds(gaps.longest()), BenchDeadline.load());
        if (trainSeconds < 30) {
          System.out.printf("note: the retraining lasted under 30 s; raise --epochs or take a larger --model%n");
        }
        System.out.printf("trainer: retraining %.1fs on %d labels %d classes; max-stall %.2fs; embedder %.0f/s during vs "
            + "%.0f/s idle%n", trainSeconds, labels, classes, maxStall, during, idleRate);
        return 0;
      } finally {
        feeding.set(false);
        feeder.join(10_000);
      }
    }
  }

  /**
   * Keeps about 2,000 images waiting for the embedder, cycling over the same ids, until told to stop;
   * sends are batched by the producer (no flush per batch), so the feeder is never what limits the rate.
   */
  private void feed(EmbeddedKafka kafka, Topics topics, List<byte[]> pngs, MeterRegistry reg, AtomicBoolean feeding) {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put("linger.ms", 20);
    p.put("batch.size", 1 << 20);
    long sent = 0;
    try (KafkaProducer<String, ImageEvent> producer =
        new KafkaProducer<>(p, new StringSerializer(), topics.images.valueSerde().serializer())) {
      while (feeding.get()) {
        if (sent - embedded(reg) >= 2000) {
          Thread.sleep(5);
          continue;
        }
        String id = "img-" + (sent % pngs.size());
        producer.send(new ProducerRecord<>(topics.images.name(), id, ImageEvent.newBuilder().setId(id)
            .setBytes(ByteBuffer.wrap(pngs.get((int) (sent % pngs.size())))).setTimestamp(Instant.now()).build()));
        sent++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendLabels(EmbeddedKafka kafka, Topics topics, List<String> names, float[][] features) {
    try (KafkaProducer<String, TrainingEvent> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        topics.training.valueSerde().serializer())) {
      for (int i = 0; i < features.length; i++) {
        String id = "labelled-" + i;
        producer.send(new ProducerRecord<>(topics.training.name(), id, TrainingEvent.newBuilder()
            .setType(TrainingEventType.EXAMPLE).setId(id).setClassName(names.get(i % classes))
            .setVector(VectorBytes.float32(features[i])).setDim(features[i].length).setAt(Instant.now()).build()));
      }
    }
  }

  private static String seconds(Map<String, Long> gaps) {
    StringBuilder b = new StringBuilder();
    gaps.forEach((thread, nanos) -> b.append(b.length() == 0 ? "" : ", ")
        .append(thread.replaceAll(".*-(StreamThread-\\d+)$", "$1")).append(String.format(" %.3f s", nanos / 1e9)));
    return "{" + b + "}";
  }

  private static double embedded(MeterRegistry reg) {
    var c = reg.find("alvlm.images.embedded").counter();
    return c == null ? 0 : c.count();
  }

  private static double unlabeled(MeterRegistry reg) {
    var g = reg.find("alvlm.pool.images").tag("status", "unlabeled").gauge();
    return g == null ? 0 : g.value();
  }

  private static double gauge(MeterRegistry reg, String name) {
    var g = reg.find(name).gauge();
    return g == null ? 0 : g.value();
  }

  private static double modelVersion(MeterRegistry reg) {
    var g = reg.find("alvlm.model.version").gauge();
    return g == null ? -1 : g.value();
  }

  private static double rejected(MeterRegistry reg) {
    return reg.find("alvlm.training.rejected").counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
