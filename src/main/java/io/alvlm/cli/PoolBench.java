package io.alvlm.cli;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.ExactNeighbors;
import io.alvlm.selection.NeighborTable;
import io.alvlm.stream.AlvlmService;
import io.alvlm.stream.EmbeddedKafka;
import io.alvlm.stream.ServiceConfig;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.TopicProvisioner;
import io.alvlm.stream.TopicSpecs;
import io.alvlm.stream.TopicSnapshot;
import io.alvlm.stream.Topics;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench pool}: synthetic CLIP-like embeddings (the generator of {@code bench select})
 * through the real pool sub-topology, with its stores, on an embedded broker. Measures sustained
 * ingest (arrivals folded into the neighbour lists), one round, the longest stream-thread step during
 * it, a restart with the state directory kept and a takeover with it wiped (restore from the
 * changelogs), peak heap, and recall@k of the maintained lists against exact lists on a sample. The
 * baseline, in the same run: the exact from-scratch rebuild of the lists, what a restart would pay
 * without them in the stores.
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
    description = "Pool ingest, round, stall, restart, takeover and memory on the real pool sub-topology; exact rebuild as baseline.")
final class PoolBench implements Callable<Integer> {
  @Option(names = "--images", defaultValue = "20000", description = "Pool size (default ${DEFAULT-VALUE}).") int images;
  @Option(names = "--dim", defaultValue = "512", description = "Feature width (default ${DEFAULT-VALUE}).") int dim;
  @Option(names = "--classes", defaultValue = "100", description = "Classes (default ${DEFAULT-VALUE}).") int classes;
  @Option(names = "--budget", defaultValue = "1000", description = "Round budget (default ${DEFAULT-VALUE}).") int budget;
  @Option(names = "--k", defaultValue = "10", description = "Neighbours (default ${DEFAULT-VALUE}).") int k;
  @Option(names = "--sample", defaultValue = "1000", description = "Rows whose lists are checked for recall (default ${DEFAULT-VALUE}).") int sample;
  @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--timeout-minutes", defaultValue = "60", description = "Give up after (default ${DEFAULT-VALUE}).") long timeoutMinutes;

  private BenchDeadline limit;

  @Override
  public Integer call() throws Exception {
    limit = new BenchDeadline("bench pool", timeoutMinutes);
    System.out.printf("bench pool: images %d dim %d classes %d budget %d k %d; load average %.2f%n", images, dim,
        classes, budget, k, BenchDeadline.load());
    SyntheticPool pool = SyntheticPool.generate(images, dim, classes, seed);
    double featureGiB = (double) images * dim * 4 / (1L << 30);
    Path state = Files.createTempDirectory("alvlm-bench-pool-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      ServiceConfig config = config(kafka, state);
      Topics topics = new Topics(AvroSerdes.from(config.asMap()));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        new TopicProvisioner(admin).ensure(TopicSpecs.from(config.asMap()), true);
      }
      produce(kafka, topics, pool);
      System.out.printf("produced %d embeddings and model v0; load average %.2f%n", images, BenchDeadline.load());

      HeapPeak.reset();
      double ingest;
      double round;
      double maxStall;
      try (AlvlmService service = AlvlmService.start(config)) {
        MeterRegistry reg = service.registry();
        long t0 = System.nanoTime();
        limit.await("ingest", () -> pooled(reg) == images && unfolded(reg) == 0);
        ingest = images / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("ingest: %d images folded in %.1f s: %.0f images/s; load average %.2f%n", images,
            images / ingest, ingest, BenchDeadline.load());
        ServiceMetrics metrics = metrics(service);
        metrics.resetLongestPoolStep();
        long r0 = System.nanoTime();
        limit.await("round", () -> rounds(reg) >= 1);
        round = (System.nanoTime() - r0) / 1e9;
        maxStall = metrics.longestPoolStep() / 1e9;
        System.out.printf("round: %.1f s from the lists being current to its requests (budget %d); longest "
            + "stream-thread step meanwhile %.3f s; load average %.2f%n", round, budget, maxStall, BenchDeadline.load());
      }
      double memoryGiB = HeapPeak.bytes() / (double) (1L << 30);
      double restart = ready(config, state, false);
      System.out.printf("restart (state directory kept): ready in %.1f s%n", restart);
      double takeover = ready(config, state, true);
      System.out.printf("takeover (state directory wiped, restored from the changelogs): ready in %.1f s%n", takeover);

      Map<Integer, int[]> stored = storedLists(kafka, config);
      int[] rows = IntStream.range(0, images).toArray();
      long b0 = System.nanoTime();
      NeighborTable exact = ExactNeighbors.compute(io.alvlm.selection.Vectors.normalizedRows(pool.features(), dim),
          dim, rows, k);
      double rebuild = (System.nanoTime() - b0) / 1e9;
      double recall = recall(stored, exact);
      System.out.printf("baseline: exact from-scratch rebuild of the lists %.1f s; restart is %.3fx of it, takeover %.3fx%n",
          rebuild, restart / rebuild, takeover / rebuild);
      System.out.printf("memory: peak heap %.2f GiB (broker in the same JVM included) = %.2fx the features' %.2f GiB%n",
          memoryGiB, memoryGiB / featureGiB, featureGiB);
      System.out.printf("pool: images %d dim %d neighbors exact ingest %.0f/s recall@%d %.2f round %.1fs max-stall %.2fs "
          + "restart %.1fs takeover %.1fs memory %.2fGiB%n", images, dim, ingest, k, recall, round, maxStall, restart,
          takeover, memoryGiB);
      return 0;
    } finally {
      try (var w = Files.walk(state)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private ServiceConfig config(EmbeddedKafka kafka, Path state) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", kafka.bootstrapServers());
    s.put("state.dir", state.toString());
    s.put("role", "pool");
    s.put("classes", String.join(",", IntStream.range(0, classes).mapToObj(i -> "class " + i).toList()));
    s.put("query.budget", Integer.toString(budget));
    s.put("query.min-new", Integer.toString(images));
    s.put("query.interval.ms", "86400000");
    s.put("query.tick.ms", "200");
    s.put("cec.k", Integer.toString(k));
    s.put("http.port", "-1");
    // static membership, as the k8s manifests run the pool: a restarted instance rejoins at once
    // instead of waiting out the old member's session
    s.put("kafka.group.instance.id", "alvlm-bench-pool");
    return ServiceConfig.of(s);
  }

  private void produce(EmbeddedKafka kafka, Topics topics, SyntheticPool pool) {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put("linger.ms", 20);
    p.put("batch.size", 1 << 20);
    List<String> names = IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
    try (KafkaProducer<String, PromptModel> m = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        topics.models.valueSerde().serializer())) {
      m.send(new ProducerRecord<>(topics.models.name(), "default", PromptModel.newBuilder().setName("default")
          .setVersion(0).setBaseModelId("synthetic").setClassNames(names).setNCtx(0).setCtxWidth(0)
          .setContext(ByteBuffer.allocate(0)).setDim(dim).setTextFeatures(VectorBytes.float32(pool.text()))
          .setLogitScale(100f).setCreatedAt(Instant.EPOCH).build()));
    }
    try (KafkaProducer<String, ImageEmbedding> e = new KafkaProducer<>(p, new StringSerializer(),
        topics.embeddings.valueSerde().serializer())) {
      for (int i = 0; i < images; i++) {
        float[] v = Arrays.copyOfRange(pool.features(), i * dim, (i + 1) * dim);
        e.send(new ProducerRecord<>(topics.embeddings.name(), "img" + i, ImageEmbedding.newBuilder().setId("img" + i)
            .setModelId("synthetic").setVector(VectorBytes.float32(v)).setPrecision(VectorPrecision.FLOAT32).setDim(dim)
            .setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build()));
      }
    }
  }

  /** Starts the service on {@code state} (wiped first when asked) and times it until its pool is whole and current. */
  private double ready(ServiceConfig config, Path state, boolean wipe) throws Exception {
    if (wipe) {
      try (var w = Files.walk(state)) {
        w.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(state)).forEach(f -> f.toFile().delete());
      }
    }
    long t0 = System.nanoTime();
    try (AlvlmService service = AlvlmService.start(config)) {
      MeterRegistry reg = service.registry();
      limit.await(wipe ? "takeover" : "restart",
          () -> pooled(reg) + count(reg, "pending") == images && unfolded(reg) == 0 && service.ready());
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /** The last committed list of every row, from the neighbour store's changelog. */
  private Map<Integer, int[]> storedLists(EmbeddedKafka kafka, ServiceConfig config) {
    Map<Integer, int[]> out = new HashMap<>();
    String topic = config.get(io.alvlm.stream.Settings.APPLICATION_ID) + "-pool-neighbors-changelog";
    for (ConsumerRecord<Integer, byte[]> r : TopicSnapshot.read(kafka.clientConfig(), topic, new IntegerDeserializer(),
        new ByteArrayDeserializer(), Duration.ofMinutes(5))) {
      ByteBuffer b = ByteBuffer.wrap(r.value());
      int[] ids = new int[b.getInt()];
      for (int i = 0; i < ids.length; i++) ids[i] = b.getInt();
      out.put(r.key(), ids);
    }
    return out;
  }

  /** Mean share of each sampled row's exact k neighbours found in its stored list. */
  private double recall(Map<Integer, int[]> stored, NeighborTable exact) {
    java.util.Random r = new java.util.Random(seed + 1);
    double sum = 0;
    int n = Math.min(sample, images);
    for (int i = 0; i < n; i++) {
      int row = r.nextInt(images);
      int[] want = exact.neighbors(row);
      int[] got = stored.getOrDefault(row, new int[0]);
      long hit = Arrays.stream(want).filter(w -> Arrays.stream(got).anyMatch(g -> g == w)).count();
      sum += want.length == 0 ? 1 : (double) hit / want.length;
    }
    return sum / n;
  }

  private static ServiceMetrics metrics(AlvlmService service) {
    return service.metrics();
  }

  private static long pooled(MeterRegistry reg) {
    return count(reg, "unlabeled");
  }

  private static long count(MeterRegistry reg, String status) {
    var g = reg.find("alvlm.pool.images").tag("status", status).gauge();
    return g == null ? 0 : (long) g.value();
  }

  private static long unfolded(MeterRegistry reg) {
    var g = reg.find("alvlm.pool.index.unfolded").gauge();
    return g == null ? Long.MAX_VALUE : (long) g.value();
  }

  private static long rounds(MeterRegistry reg) {
    var c = reg.find("alvlm.rounds").counter();
    return c == null ? 0 : (long) c.count();
  }
}
