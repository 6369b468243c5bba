package io.alvlm.soak;

import io.alvlm.avro.ImageEvent;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.broker.StandaloneServer;
import io.alvlm.chaos.ChaosSettings;
import io.alvlm.chaos.ImageFeed;
import io.alvlm.chaos.Invariants;
import io.alvlm.chaos.TopicWatch;
import io.alvlm.config.ServiceConfig;
import io.alvlm.data.IdxDataset;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/**
 * A soak: the broker and the registry as processes, the roles as separate JVMs from the jar with
 * small heaps (two embedders, the pool, the trainer, the workbench), images fed at a set rate (one in
 * thirty corrupt), a scripted annotator answering over the workbench's HTTP API, a schedule of
 * {@link Fault}s spread over the run with a bounded wait for recovery after each, every process
 * sampled every 10 s ({@link Sampler}); then the feed stops, the loop comes to rest, the roles stop
 * and the chaos {@link Invariants} are checked on read-committed snapshots. Its {@link SoakVerdict}
 * ends the output. With {@code upgrade}, the roles start as the old build and a {@link RollingUpgrade}
 * restarts each on the current Label schema halfway through, between two faults.
 */
public final class SoakRun {
  private static final Duration START = Duration.ofSeconds(300);
  private static final Duration SETTLE = Duration.ofSeconds(240);
  private static final Duration REST = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param minutes how long the run takes, from the launch of the first process to the end of the feed
   *     plus the loop's coming to rest (longer when the faults take longer to recover from)
   * @param rate images a second
   * @param home the alvlm folder (models/clip-tiny, data/fashion-mnist)
   * @param jar the packaged alvlm.jar every process runs from
   * @param dir working folder: broker data, state, configs, logs/, samples.csv
   */
  public record Options(double minutes, double rate, long seed, Path home, Path jar, Path dir, boolean upgrade) {
    public Options {
      if (!(minutes > 0) || !(rate > 0)) {
        throw new IllegalArgumentException("want --minutes > 0 and --rate > 0");
      }
      Objects.requireNonNull(dir);
    }

    /** A run without the rolling upgrade. */
    public Options(double minutes, double rate, long seed, Path home, Path jar, Path dir) {
      this(minutes, rate, seed, home, jar, dir, false);
    }
  }

  private final Options o;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final List<SoakProcess> processes = new ArrayList<>();

  private SoakRun(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  public static SoakVerdict run(Options o, PrintStream out) throws Exception {
    return new SoakRun(o, out).run();
  }

  private SoakVerdict run() throws Exception {
    SoakObservation.requirePrometheus();
    Path logs = Files.createDirectories(o.dir().resolve("logs"));
    Files.createDirectories(o.dir().resolve("config"));
    ImageFeed feed = ImageFeed.plan(IdxDataset.read(o.home().resolve("data/fashion-mnist"), "train"),
        (int) Math.ceil(o.rate() * o.minutes() * 60), o.seed());
    List<String> classes = Files.readAllLines(o.home().resolve("data/fashion-mnist/classes.txt")).stream()
        .filter(s -> !s.isBlank()).toList();
    int[] ports = EmbeddedKafka.freePorts(6);
    String registryUrl = "http://127.0.0.1:" + ports[0];
    Path brokerDir = o.dir().resolve("broker");
    SoakProcess registry = new SoakProcess("registry", o.jar(), List.of("-Xmx128m"), List.of("-cp", jarPath(),
        StandaloneServer.class.getName(), "registry", Integer.toString(ports[0]), o.dir().resolve("registry-schemas.jsonl").toString()),
        logs.resolve("registry.log"), () -> status(URI.create(registryUrl + "/subjects")) > 0, null, null, 0);
    SoakProcess broker = new SoakProcess("broker", o.jar(), List.of("-Xmx512m"), List.of("-cp", jarPath(),
        StandaloneServer.class.getName(), "kafka", brokerDir.toString()), logs.resolve("broker.log"), () -> brokerUp(brokerDir),
        null, null, 0);
    processes.addAll(List.of(registry, broker));
    Cluster cluster = new Cluster(processes, out);
    registry.start();
    broker.start();
    if (!cluster.await(() -> registry.healthy() && broker.healthy(), START)) {
      throw new IllegalStateException("the broker or the registry did not come up (see " + logs + ")");
    }
    String bootstrap = EmbeddedKafka.bootstrapServers(brokerDir);
    Map<String, Object> clients = Map.of("bootstrap.servers", bootstrap);
    Map<String, String> common = SoakSettings.common(o.home(), o.dir(), bootstrap, registryUrl, o.rate());
    Path poolState = o.dir().resolve("state/pool");
    boolean diskFull = plan().stream().anyMatch(f -> f.kind() == Fault.Kind.DISK_FULL);
    try (Admin admin = Admin.create(clients); DiskFull disk = diskFull ? DiskFull.mount(poolState, out) : DiskFull.none(poolState)) {
      new TopicProvisioner(admin).ensure(TopicSpecs.from(ServiceConfig.of(common)), true);
      addRoles(common, ports, logs);
      cluster = new Cluster(processes, out);
      cluster.useGroups(new Groups(admin));
      return withRoles(cluster, disk, feed, classes, clients, registryUrl, new Groups(admin));
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).stop();
      }
    }
  }

  private void addRoles(Map<String, String> common, int[] ports, Path logs) throws IOException {
    String[][] roles = {{"embedder-1", "embedder"}, {"embedder-2", "embedder"}, {"pool", "pool"}, {"trainer", "trainer"},
        {"workbench", "workbench"}};
    for (int i = 0; i < roles.length; i++) {
      String name = roles[i][0];
      String role = roles[i][1];
      int port = ports[i + 1];
      Path config = o.dir().resolve("config").resolve(name + ".properties");
      Map<String, String> settings = SoakSettings.forProcess(common, o.dir(), name, role, port);
      ChaosSettings.write(config, o.upgrade() ? RollingUpgrade.pinned(settings) : settings);
      boolean bench = role.equals("workbench");
      List<String> main = bench ? List.of("-jar", jarPath(), "annotate", "--config", config.toString())
          : List.of("-jar", jarPath(), "run", "--role", role, "--config", config.toString());
      URI base = URI.create("http://127.0.0.1:" + port + "/");
      URI health = base.resolve(bench ? "metrics" : "health/ready");
      String heap = bench ? "256m" : "512m";
      // the heap committed and touched at the start, as a service JVM should run: the resident set then
      // shows what grows outside it (RocksDB, direct buffers, malloc arenas), not G1 growing into its -Xmx
      processes.add(new SoakProcess(name, o.jar(), List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"), main,
          logs.resolve(name + ".log"),
          () -> status(health) == 200, base.resolve("metrics"), bench ? "alvlm-workbench" : "alvlm-" + role,
          role.equals("embedder") ? 2 : 1));
    }
  }

  private SoakVerdict withRoles(Cluster cluster, DiskFull disk, ImageFeed feed, List<String> classes, Map<String, Object> clients,
      String registryUrl, Groups groups) throws Exception {
    for (SoakProcess p : processes.subList(2, processes.size())) {
      p.start();
    }
    Topics topics = new Topics(AvroSerdes.from(SoakSettings.serde(registryUrl)));
    SoakProcess workbench = cluster.get("workbench");
    List<Fault> plan = plan();
    FaultPlayer player = new FaultPlayer(cluster, disk, o.minutes(), out);
    out.printf(java.util.Locale.ROOT, "soak: %.1f min at %.1f images/s (1 in 30 corrupt), %d faults%s, seed %d; the roles as "
        + "separate JVMs on a broker and a registry of their own; work dir %s%n", o.minutes(), o.rate(), plan.size(),
        o.upgrade() ? String.format(java.util.Locale.ROOT, " and a rolling upgrade at %.0f s (Label v%d to v%d)", upgradeSeconds(),
            RollingUpgrade.OLD, RollingUpgrade.NEW) : "", o.seed(), o.dir());
    int recovered = 0;
    AtomicBoolean stopFeed = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    Sampler sampler = new Sampler(o.dir().resolve("samples.csv"), processes, groups, start);
    RollingUpgrade upgrade = o.upgrade() ? new RollingUpgrade(cluster, sampler, o.dir().resolve("config"), out) : null;
    int notes = 0;
    boolean settled;
    Set<String> good;
    Set<String> corrupt;
    SoakObservation observation = SoakObservation.start(o.home(), o.dir(), processes, start, out);
    try (observation; TopicWatch watch = new TopicWatch(clients, topics);
        ScriptedAnnotator annotator = new ScriptedAnnotator(workbench.metrics.resolve("/"), SoakSettings.TOKEN,
            id -> id.startsWith("img-") ? classes.get(feed.label(id)) : null)) {
      observation.follow(watch);
      if (!cluster.awaitHealthy(START)) {
        throw new IllegalStateException("the roles did not all come up within " + START.toSeconds() + " s: " + cluster.unhealthy()
            + " (see " + o.dir().resolve("logs") + ")");
      }
      out.printf(java.util.Locale.ROOT, "soak: all up after %.0f s; feeding%n", seconds());
      Thread feeder = new Thread(() -> {
        try {
          sent.set(feed.sendAtRate(clients, topics.images.name(), topics.images.valueSerde().serializer(), o.rate(), stopFeed::get));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "soak-feed");
      feeder.start();
      double end = feedSeconds();
      double from = seconds();
      boolean upgraded = upgrade == null;
      for (int i = 0; i <= plan.size(); i++) {
        double due = i < plan.size() ? from + (end - from) * (i + 1) / (plan.size() + 1) : end;
        if (!upgraded && due >= upgradeSeconds()) {
          // between two faults, never during one
          cluster.watch(Duration.ofMillis((long) Math.max(0, (upgradeSeconds() - seconds()) * 1000)));
          upgrade.play(seconds(), annotator::writeNotes);
          upgraded = true;
        }
        cluster.watch(Duration.ofMillis((long) Math.max(0, (due - seconds()) * 1000)));
        if (i < plan.size()) {
          recovered += player.play(plan.get(i), i + 1, plan.size(), seconds()) ? 1 : 0;
        }
      }
      stopFeed.set(true);
      feeder.join(TimeUnit.MINUTES.toMillis(15));
      ImageFeed fed = feed.first(sent.get());
      good = fed.ids(true);
      corrupt = fed.ids(false);
      out.printf(java.util.Locale.ROOT, "soak: feed stopped at %.0f s after %d images; waiting for the loop to come to rest%n",
          seconds(), sent.get());
      Set<String> g = good;
      settled = cluster.await(() -> watch.embedded.containsAll(g) && watch.deadLetters.get() >= corrupt.size()
          && watch.answeredAndApplied() && watch.quietFor().compareTo(REST) >= 0, SETTLE);
      out.printf(java.util.Locale.ROOT, "soak: %s at %.0f s: %d embedded, %d requested, %d answered over HTTP (%d logins), "
          + "%d rounds, %d model versions%n", settled ? "at rest" : "NOT at rest", seconds(), watch.embedded.size(),
          watch.requested.size(), annotator.answered(), annotator.logins(), watch.rounds.get(), watch.models.get());
      observation.checkDashboard();
      sampler.close();
      notes = watch.notes.get();
      for (SoakProcess p : processes.subList(2, processes.size())) {
        cluster.hold(p.name, true);
        p.stop();
      }
    }
    Invariants inv = Invariants.check(good, corrupt, Invariants.Observed.read(clients, topics));
    out.println(inv.line());
    double run = seconds();
    Map<String, List<RssSlope.Point>> rss = sampler.rss();
    double embedder = Math.max(slope(rss, "embedder-1", run), slope(rss, "embedder-2", run));
    List<String> observed = new ArrayList<>(observation.problems());
    if (upgrade != null) {
      RollingUpgrade.Outcome u = upgrade.outcome(sampler.labels(), notes, inv.deadLetters() - inv.expectedDeadLetters());
      out.println(u.line());
      observed.addAll(u.problems());
    }
    SoakVerdict v = new SoakVerdict(run / 60, sent.get(), plan.size(), recovered, inv, embedder, slope(rss, "pool", run),
        slope(rss, "trainer", run), sampler.maxLag(), settled, cluster.unplannedExits(), observed);
    v.problems().forEach(p -> out.println("problem: " + p));
    if (!v.slopesJudged()) {
      out.printf(java.util.Locale.ROOT, "soak: the resident-set slopes are printed but not judged: a run under %.0f minutes is "
          + "warm-up (samples in %s)%n", SoakVerdict.JUDGED_FROM_MINUTES, o.dir().resolve("samples.csv"));
    }
    out.println(v.line());
    return v;
  }

  /**
   * When the feed stops: at the run's length less a reserve for coming to rest (a fifth of the run,
   * at most a minute), so that a run takes about as long as asked; later if the faults take longer.
   */
  private double feedSeconds() {
    double total = o.minutes() * 60;
    return total - Math.min(60, total / 5);
  }

  /** When the rolling upgrade starts: halfway through the run. */
  private double upgradeSeconds() {
    return o.minutes() * 60 / 2;
  }

  private List<Fault> plan() {
    return Fault.plan(Fault.count(o.minutes()));
  }

  private static double slope(Map<String, List<RssSlope.Point>> rss, String name, double run) {
    return RssSlope.mibPerHour(rss.getOrDefault(name, List.of()), run);
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private String jarPath() {
    return o.jar().toAbsolutePath().toString();
  }

  /** The HTTP status of a GET, or -1 when nothing answers. */
  private static int status(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static boolean brokerUp(Path dir) throws Exception {
    String bootstrap = EmbeddedKafka.bootstrapServers(dir);
    if (bootstrap == null) {
      return false;
    }
    try (Admin a = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 3000, "default.api.timeout.ms", 3000))) {
      return !a.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    }
  }
}
