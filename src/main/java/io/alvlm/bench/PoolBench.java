package io.alvlm.bench;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PromptModel;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.CalibratedEntropy;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FlatIndex;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.NeighborUncertainty;
import io.alvlm.selection.ZeroShotProbabilities;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.config.ServiceConfig;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.TopicSnapshot;
import io.alvlm.topics.Topics;
import io.alvlm.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench pool}: synthetic CLIP-like embeddings (the generator of {@code bench select})
 * through the real pool sub-topology, with its stores, on an embedded broker. The pool service runs
 * in its own JVM ({@link PoolServiceJvm}, heap {@code --pool-heap}); this JVM holds the broker, the
 * producer and the bench's copy of the pool, so the memory figures are the pool process's alone.
 * Measures sustained ingest (arrivals folded into the neighbour lists, from the pool JVM's start),
 * one round, the longest stream-thread step during it, and the later starts of {@link PoolStarts}: a restart
 * after the SIGKILL that ends ingest and the round ({@code restart-crash}: the stores are transactional, so
 * they keep what was committed and only the changelogs' tail is restored), one after a clean stop, a
 * takeover with the directory wiped (restore from the changelogs; each a new pool JVM, timed from its
 * start) and a takeover by a warm standby (timed from the active JVM's SIGKILL),
 * the pool JVM's peak heap and peak resident set ({@code VmHWM}), and recall@k of the maintained lists
 * against exact lists on a sample. The baseline, in the same run: the exact from-scratch rebuild of
 * the lists, what a restart would pay without them in the stores.
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
    description = "Pool ingest, round, stall, restart (clean, after SIGKILL), takeover (cold, warm standby) and memory on the real pool "
        + "sub-topology; exact rebuild as baseline.")
public final class PoolBench implements Callable<Integer> {
  @Option(names = "--images", defaultValue = "20000", description = "Images that arrive (default ${DEFAULT-VALUE}).") int images;
  @Option(names = "--preload", defaultValue = "0",
      description = "Images in the pool before they arrive: folded in bulk by the engine, written to the pool's changelogs "
          + "(default ${DEFAULT-VALUE}).") int preload;
  @Mixin PoolKnobs knobs = new PoolKnobs();
  @Option(names = "--baseline-limit", defaultValue = "50000",
      description = "Largest pool whose exact rebuild is run whole; above it the rebuild is timed on the --sample rows and scaled (default ${DEFAULT-VALUE}).")
  int baselineLimit;
  @Option(names = "--pool-heap", defaultValue = "auto",
      description = "Heap of the pool service's own JVM (-Xmx syntax), or auto: sized for the pool by the sizing rule of docs/deploying.md "
          + "(" + PoolHeap.RULE + "); the memory figures are that JVM's peak heap and resident set, the broker and "
          + "producer run in the bench's JVM (default ${DEFAULT-VALUE}).")
  String poolHeap;
  @Option(names = "--timeout-minutes", defaultValue = "60", description = "Give up after (default ${DEFAULT-VALUE}).") long timeoutMinutes;

  private static final Duration POLL = PoolStarts.POLL;

  private BenchDeadline limit;
  /** The bench's temporary directory: the pool's state directory, its settings file and its JVMs' logs. */
  private Path work;
  private Path configFile;

  @Override
  public Integer call() throws Exception {
    limit = new BenchDeadline("bench pool", timeoutMinutes);
    if ("auto".equals(poolHeap)) {
      // cells take over (and auto precision turns fp16) for approximate, and for auto past its threshold
      boolean cells = "approximate".equals(knobs.neighbors) || ("auto".equals(knobs.neighbors)
          && (long) (preload + images) * knobs.dim > Long.parseLong(io.alvlm.config.Settings.CEC_NEIGHBORS_AUTO_WORK.defaultValue()));
      poolHeap = PoolHeap.forPool(preload + images, knobs.dim, knobs.k, io.alvlm.selection.FeaturePrecision.parse(knobs.featurePrecision), cells);
    }
    System.out.printf("bench pool: images %d preload %d dim %d classes %d budget %d k %d; cec.neighbors=%s (cells %d, nprobe %d), "
        + "k-means inits %d (%d on a sample of at most %d rows per centre), fold batch %d / max-work %d; features %s; pool JVM heap %s, %s; "
        + "load average %.2f%n",
        images, preload, knobs.dim, knobs.classes, knobs.budget, knobs.k, knobs.neighbors, knobs.cells, knobs.nprobe, knobs.kmeansInits, knobs.kmeansSampledInits, knobs.kmeansRowsPerCentre, knobs.foldBatch, knobs.foldWork,
        knobs.featurePrecision, poolHeap, String.join(" ", PoolServiceJvm.GC_FLAGS), BenchDeadline.load());
    int total = preload + images;
    SyntheticPool pool = knobs.pool(total);
    double featureGiB = (double) total * knobs.dim * 4 / (1L << 30);
    work = Files.createTempDirectory("alvlm-bench-pool-");
    Path state = Files.createDirectory(work.resolve("state"));
    boolean done = false;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> settings = settings(kafka, state);
      ServiceConfig config = ServiceConfig.of(settings);
      configFile = work.resolve("pool.properties");
      Properties file = new Properties();
      file.putAll(settings);
      try (var w = Files.newBufferedWriter(configFile)) {
        file.store(w, "bench pool: the pool service's settings");
      }
      Topics topics = new Topics(AvroSerdes.from(config.asMap()));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        new TopicProvisioner(admin).ensure(TopicSpecs.from(config), true);
      }
      if (preload > 0) ChangelogPreload.write(kafka.clientConfig(), config, pool, preload);
      produce(kafka, topics, pool);
      System.out.printf("produced %d embeddings and model v0; load average %.2f%n", images, BenchDeadline.load());

      double ingest;
      double round;
      double maxStall;
      String search;
      PoolBenchChild.Memory memory;
      long heapAfterGc;
      try (PoolServiceJvm service = PoolServiceJvm.start("ingest", configFile, poolHeap, work.resolve("pool-ingest.log"),
          limit)) {
        // a preloaded pool is restored first, as after a takeover: ingest is timed from then
        limit.await("restoring the preload", POLL, () -> {
          PoolBenchChild.Status s = service.status();
          return s.pooled() + s.pending() >= preload;
        });
        double restored = preload > 0 ? service.seconds() : 0;
        if (preload > 0) System.out.printf("preload restored after %.1f s from the pool's JVM start%n", restored);
        limit.await("ingest", POLL, () -> {
          PoolBenchChild.Status s = service.status();
          // pending too: on a small pool the round can open, and mark its picks, between two polls
          return s.pooled() + s.pending() == total && s.unfolded() == 0;
        });
        ingest = images / (service.seconds() - restored);
        long cellCount = service.status().cells();
        search = cellCount == 0 ? "exact" : String.format("approximate (%d cells, nprobe %d)", cellCount, knobs.nprobe);
        System.out.printf("ingest: %d images folded in %.1f s from the pool's JVM start or the preload's restore (its service up after %.1f s): "
            + "%.0f images/s; longest stream-thread step %.3f s (longest GC pause %.0f ms); neighbours %s; load average %.2f%n",
            images, images / ingest, service.upAfter(), ingest, service.longestStep() / 1e9, service.longestGcPauseMs(), search,
            BenchDeadline.load());
        service.resetLongestStep();
        long r0 = System.nanoTime();
        limit.await("round", POLL, () -> service.status().rounds() >= 1);
        round = (System.nanoTime() - r0) / 1e9;
        maxStall = service.longestStep() / 1e9;
        System.out.printf("round: %.1f s from the lists being current to its requests (budget %d); longest "
            + "stream-thread step meanwhile %.3f s (longest GC pause so far %.0f ms); load average %.2f%n", round,
            knobs.budget, maxStall, service.longestGcPauseMs(), BenchDeadline.load());
        List<String> slow = service.logLines("slow pool step");
        System.out.printf("pool steps over 1 s in the pool's log: %d%s%n", slow.size(), slow.isEmpty() ? ""
            : ", the last ones:\n  " + String.join("\n  ", slow.subList(Math.max(0, slow.size() - 5), slow.size())));
        memory = service.memory();
        heapAfterGc = service.heapAfterGcBytes();
        // the round's record committed first: the SIGKILL below would abort a transaction still open
        limit.await("the round recorded", POLL, () -> !TopicSnapshot.read(kafka.clientConfig(), topics.rounds.name(),
            topics.rounds.valueSerde().deserializer(), Duration.ofSeconds(10)).isEmpty());
        // as a crash ends a pool that has been writing: its stores flushed memtables since they opened
        service.kill();
      }
      printRoundTimings(kafka, topics);
      PoolStarts starts = new PoolStarts(work, state, configFile, poolHeap, total, limit);
      double restartCrash = starts.ready(PoolStarts.Start.RESTART_CRASH);
      double restart = starts.ready(PoolStarts.Start.RESTART);
      double takeover = starts.ready(PoolStarts.Start.TAKEOVER);
      double standbyTakeover = starts.standbyTakeover(Files.createDirectory(work.resolve("state-standby")));

      Map<Integer, ListRecall.Stored> stored = StoredListsCheck.read(kafka.clientConfig(),
          config.get(io.alvlm.config.Settings.APPLICATION_ID));
      // in place: the raw rows are not read again once produced, and a second copy is 2 GiB at a million
      float[] x = io.alvlm.selection.Vectors.normalizeRows(pool.features(), knobs.dim);
      int[] sampleRows = new java.util.Random(knobs.seed + 1).ints(0, total).distinct().limit(Math.min(knobs.sample, total)).sorted().toArray();
      float[] queries = new float[sampleRows.length * knobs.dim];
      for (int i = 0; i < sampleRows.length; i++) System.arraycopy(x, sampleRows[i] * knobs.dim, queries, i * knobs.dim, knobs.dim);
      NeighborTable exact;
      double rebuild;
      String rebuildHow;
      try (FlatIndex flat = FlatIndex.of(Compute.of(Compute.Settings.defaults()), x, knobs.dim)) {
        long b0 = System.nanoTime();
        exact = flat.search(queries, sampleRows, knobs.k);
        double sampled = (System.nanoTime() - b0) / 1e9;
        if (total <= baselineLimit) {
          b0 = System.nanoTime();
          flat.searchAll(knobs.k);
          rebuild = (System.nanoTime() - b0) / 1e9;
          rebuildHow = "measured";
        } else {
          rebuild = sampled * total / sampleRows.length;
          rebuildHow = String.format("extrapolated from %d of the %d rows searched against all (%.1f s), not measured whole",
              sampleRows.length, total, sampled);
        }
      }
      double recall = ListRecall.recall(stored, exact, sampleRows);
      double uError = StoredListsCheck.uncertaintyError(stored, exact, sampleRows, x, pool, total, knobs.dim, knobs.classes);
      System.out.printf("recall@%d of the stored lists against exact search on %d sampled rows: %.3f; neighbour-uncertainty "
          + "error there: mean |U_stored - U_exact| / mean U_exact = %.4f%n", knobs.k, sampleRows.length, recall, uError);
      System.out.printf("baseline: exact from-scratch rebuild of the lists %.1f s (%s); restart is %.3fx of it, takeover %.3fx%n",
          rebuild, rebuildHow, restart / rebuild, takeover / rebuild);
      double listsGiB = (double) total * knobs.k * 8 / (1L << 30);
      double heapGiB = memory.heapBytes() / (double) (1L << 30);
      double rssGiB = Math.max(0, memory.residentBytes()) / (double) (1L << 30);
      double afterGcGiB = heapAfterGc / (double) (1L << 30);
      System.out.printf("memory of the pool's JVM (ingest and round; the broker, the producer and the bench's copy of the "
          + "pool are in the bench's JVM): most heap in use after a collection %.2f GiB, peak heap %.2f GiB (garbage "
          + "included), peak resident %.2f GiB; features %.2f GiB fp32, lists %.2f GiB: heap after a collection = %.2fx "
          + "(features + lists), peak heap = %.2fx, resident = %.2fx%n", afterGcGiB, heapGiB, rssGiB, featureGiB, listsGiB,
          afterGcGiB / (featureGiB + listsGiB), heapGiB / (featureGiB + listsGiB), rssGiB / (featureGiB + listsGiB));
      System.out.printf("pool starts: restart %.1fs restart-crash %.1fs takeover (cold, wiped) %.1fs takeover-standby (warm, "
          + "from the active's SIGKILL) %.1fs%n", restart, restartCrash, takeover, standbyTakeover);
      System.out.printf("pool: images %d%s dim %d neighbors %s ingest %.0f/s recall@%d %.2f round %.1fs max-stall %.2fs "
          + "restart %.1fs restart-crash %.1fs takeover %.1fs memory %.2fGiB%n", images, preload > 0 ? " preload " + preload : "", knobs.dim, search.startsWith("approximate")
          ? "approximate" : "exact", ingest, knobs.k, recall, round, maxStall, restart, restartCrash, takeover, rssGiB);
      done = true;
      return 0;
    } finally {
      // the pool JVMs' logs stay when the bench failed: its message names them
      delete(done ? work : state, true);
    }
  }

  /** Deletes {@code dir}'s contents, and {@code dir} itself when {@code self}. */
  static void delete(Path dir, boolean self) throws java.io.IOException {
    try (var w = Files.walk(dir)) {
      w.sorted(java.util.Comparator.reverseOrder()).filter(f -> self || !f.equals(dir)).forEach(f -> f.toFile().delete());
    }
  }

  private Map<String, String> settings(EmbeddedKafka kafka, Path state) {
    Map<String, String> s = knobs.settings(preload + images);
    s.put("bootstrap.servers", kafka.bootstrapServers());
    s.put("state.dir", state.toString());
    s.put("query.interval.ms", "86400000");
    s.put("query.tick.ms", "200");
    s.put("http.port", "-1");
    // static membership, as the k8s manifests run the pool: a restarted instance rejoins at once
    // instead of waiting out the old member's session
    s.put("kafka.group.instance.id", "alvlm-bench-pool");
    // as the manifests run it: a second instance keeps a standby copy (the standby takeover starts one)
    s.put("kafka.num.standby.replicas", "1");
    return s;
  }

  private void produce(EmbeddedKafka kafka, Topics topics, SyntheticPool pool) {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put("linger.ms", 20);
    p.put("batch.size", 1 << 20);
    List<String> names = knobs.classNames();
    try (KafkaProducer<String, PromptModel> m = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
        topics.models.valueSerde().serializer())) {
      m.send(new ProducerRecord<>(topics.models.name(), "default", PromptModel.newBuilder().setName("default")
          .setVersion(0).setBaseModelId("synthetic").setClassNames(names).setNCtx(0).setCtxWidth(0)
          .setContext(ByteBuffer.allocate(0)).setDim(knobs.dim).setTextFeatures(VectorBytes.float32(pool.text()))
          .setLogitScale(100f).setCreatedAt(Instant.EPOCH).build()));
    }
    try (KafkaProducer<String, ImageEmbedding> e = new KafkaProducer<>(p, new StringSerializer(),
        topics.embeddings.valueSerde().serializer())) {
      for (int i = preload; i < preload + images; i++) e.send(new ProducerRecord<>(topics.embeddings.name(), "img" + i, pool.embedding(i)));
    }
  }

  /** Where the round's time went, as the pool recorded it in its {@code QueryRound} (select on the worker, apply in a punctuation). */
  private static void printRoundTimings(EmbeddedKafka kafka, Topics topics) {
    for (ConsumerRecord<String, io.alvlm.avro.QueryRound> r : TopicSnapshot.read(kafka.clientConfig(), topics.rounds.name(),
        topics.rounds.valueSerde().deserializer(), Duration.ofMinutes(1))) {
      Map<String, Double> t = new java.util.TreeMap<>(r.value().getTimingsMs());
      StringBuilder line = new StringBuilder();
      t.forEach((k, v) -> line.append(line.length() == 0 ? "" : ", ").append(k).append(' ')
          .append(k.endsWith("_rows") || k.endsWith("_inits") ? String.format("%.0f", v) : String.format("%.0f ms", v)));
      System.out.printf("round %d (%d picks): %s%n", r.value().getRound(), r.value().getSelected(), line);
    }
  }
}
