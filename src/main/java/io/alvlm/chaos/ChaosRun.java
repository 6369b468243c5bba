package io.alvlm.chaos;

import io.alvlm.config.ServiceConfig;

import io.alvlm.data.IdxDataset;
import io.alvlm.demo.SimulatedAnnotator;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.broker.EmbeddedKafka;
import io.alvlm.topics.TopicProvisioner;
import io.alvlm.topics.TopicSpecs;
import io.alvlm.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * A chaos run: an embedded broker kept on disk, the service as a child JVM, N Fashion-MNIST images
 * (some corrupt) sent in waves, a simulated annotator answering every request, and a plan of
 * {@link Disruption}s (SIGKILLs mid-batch, mid-round, mid-training and mid-index-build, a wiped state directory,
 * broker restarts). Once the loop is at rest (every good image embedded, every request answered,
 * every label applied, nothing new for a while) the service is stopped and the {@link Invariants}
 * are checked on read-committed snapshots of the topics.
 */
public final class ChaosRun {
  private static final Duration TRIGGER_WAIT = Duration.ofSeconds(90);
  private static final Duration REST = Duration.ofSeconds(5);

  /**
   * @param images records sent (about one in thirty corrupt)
   * @param kills SIGKILLs of the service
   * @param brokerRestarts broker restarts while the service runs
   * @param wipeState delete the service's state directory before one restart
   * @param home the alvlm folder (models/clip-tiny, data/fashion-mnist)
   * @param jar the packaged alvlm.jar the service runs from
   * @param dir working folder: broker data, state, config, service.log
   */
  public record Options(int images, int kills, long seed, int brokerRestarts, boolean wipeState, Duration timeout,
      Path home, Path jar, Path dir) {
    public Options {
      if (images < 1 || kills < 0 || brokerRestarts < 0) {
        throw new IllegalArgumentException("want --images >= 1, --kills >= 0, --broker-restarts >= 0");
      }
      Objects.requireNonNull(timeout);
    }
  }

  /** The verdict: the invariants, whether the loop came to rest in time, and exits nobody caused. */
  public record Result(Invariants invariants, boolean settled, int unplannedExits) {
    public boolean ok() {
      return invariants.ok() && settled && unplannedExits == 0;
    }
  }

  private final Options o;
  private final PrintStream out;
  private final Random random;
  private final Topics topics = new Topics(AvroSerdes.singleObject());
  private final long deadline;
  private EmbeddedKafka broker;
  private ServiceChild child;
  private TopicWatch watch;
  private ImageFeed feed;
  private Set<String> good;
  private Path config;
  private int unplannedExits;
  private volatile boolean fed;

  private ChaosRun(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
    this.random = new Random(o.seed());
    this.deadline = System.nanoTime() + o.timeout().toNanos();
  }

  public static Result run(Options o, PrintStream out) throws Exception {
    return new ChaosRun(o, out).run();
  }

  private Result run() throws Exception {
    Files.createDirectories(o.dir());
    List<Disruption> plan = Disruption.plan(o.kills(), o.brokerRestarts(), o.wipeState(), random);
    feed = ImageFeed.plan(IdxDataset.read(o.home().resolve("data/fashion-mnist"), "train"), o.images(), o.seed());
    good = feed.ids(true);
    List<String> classes = Files.readAllLines(o.home().resolve("data/fashion-mnist/classes.txt")).stream()
        .filter(s -> !s.isBlank()).toList();
    broker = EmbeddedKafka.start(o.dir().resolve("broker"));
    try {
      return against(plan, classes);
    } finally {
      broker.close();
    }
  }

  private Result against(List<Disruption> plan, List<String> classes) throws Exception {
    Map<String, Object> clients = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, String> settings = ChaosSettings.of(o, broker.bootstrapServers());
    config = o.dir().resolve("alvlm.properties");
    ChaosSettings.write(config, settings);
    try (Admin admin = Admin.create(clients)) {
      new TopicProvisioner(admin).ensure(TopicSpecs.from(ServiceConfig.of(settings)), true);
    }
    out.printf("chaos: %d images (%d corrupt), %d kills, %d broker restarts%s, seed %d; work dir %s%n", o.images(),
        o.images() - good.size(), o.kills(), o.brokerRestarts(), o.wipeState() ? ", one state wipe" : "", o.seed(), o.dir());
    boolean settled;
    Thread feeder;
    try (TopicWatch w = new TopicWatch(clients, topics);
        SimulatedAnnotator annotator = new SimulatedAnnotator(clients, topics,
            id -> id.startsWith("img-") ? classes.get(feed.label(id)) : null)) {
      watch = w;
      startService();
      feeder = new Thread(this::feed, "chaos-feed");
      feeder.setDaemon(true);
      feeder.start();
      for (int i = 0; i < plan.size(); i++) {
        disrupt(plan.get(i), i + 1, plan.size());
      }
      settled = await(this::atRest, deadline);
      out.printf("chaos: %s after %d embeddings, %d rounds, %d model versions; stopping the service%n",
          settled ? "at rest" : "TIMED OUT, not at rest", watch.embeddings.get(), watch.rounds.get(), watch.models.get());
      child.close();
      feeder.interrupt();
    } finally {
      if (child != null) {
        child.close();
      }
    }
    Invariants inv = Invariants.check(good, feed.ids(false), Invariants.Observed.read(clients, topics));
    Result r = new Result(inv, settled, unplannedExits);
    inv.problems().forEach(p -> out.println("problem: " + p));
    if (unplannedExits > 0) {
      out.println("problem: the service exited " + unplannedExits + " times by itself (see " + o.dir().resolve("service.log") + ")");
    }
    out.println(inv.line());
    return r;
  }

  private void feed() {
    try {
      feed.send(Map.of("bootstrap.servers", broker.bootstrapServers()), topics.images.name(),
          topics.images.valueSerde().serializer(), () -> watch.embedded.size() + watch.deadLetters.get());
      fed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startService() throws IOException {
    child = ServiceChild.start(o.jar(), config, o.dir().resolve("service.log"), List.of("-Xmx1g"));
  }

  private void disrupt(Disruption d, int n, int total) throws Exception {
    String when = trigger(d.moment());
    if (d.action() == Disruption.Action.KILL) {
      long pid = child.pid();
      child.kill();
      String wiped = "";
      if (d.wipeState()) {
        deleteRecursively(o.dir().resolve("state"));
        wiped = ", state dir wiped";
      }
      startService();
      out.printf("chaos: %d/%d SIGKILL %s (pid %d, %s)%s, restarted%n", n, total, d.moment().label, pid, when, wiped);
    } else {
      broker.close();
      Thread.sleep(1000 + random.nextInt(2000));
      broker = EmbeddedKafka.start(o.dir().resolve("broker"));
      out.printf("chaos: %d/%d broker restart %s (%s)%n", n, total, d.moment().label, when);
    }
  }

  /** Waits for the moment, then a seeded random delay; says what was seen. */
  private String trigger(Disruption.Moment m) throws InterruptedException {
    long until = Math.min(deadline, System.nanoTime() + TRIGGER_WAIT.toNanos());
    boolean seen;
    int delay;
    switch (m) {
      case MID_BATCH -> {
        int target = watch.embeddings.get() + 1 + random.nextInt(32);
        seen = await(() -> watch.embeddings.get() >= target || allEmbedded(), until);
        delay = random.nextInt(300);
      }
      case MID_ROUND -> {
        int target = watch.rounds.get() + 1;
        seen = await(() -> watch.rounds.get() >= target || atRest(), until);
        delay = random.nextInt(500);
      }
      case MID_INDEX_BUILD -> {
        // the first neighbour-list write of a fold is seen before its transaction commits
        int target = watch.foldWrites.get() + 1;
        seen = await(() -> watch.foldWrites.get() >= target || allEmbedded(), until);
        delay = random.nextInt(20);
      }
      default -> {
        int target = watch.roundsComplete.get() + 1;
        seen = await(() -> watch.roundsComplete.get() >= target || atRest(), until);
        delay = 200 + random.nextInt(1500);
      }
    }
    Thread.sleep(delay);
    String state = watch.embeddings.get() + " embedded, round " + watch.rounds.get() + ", model v" + (watch.models.get() - 1);
    return (seen ? "" : "moment not seen; ") + (atRest() ? "loop at rest; " : "") + state + ", +" + delay + " ms";
  }

  private boolean allEmbedded() {
    return fed && watch.embedded.containsAll(good);
  }

  /** Every good image embedded, asked for, answered and applied, and nothing new for a while. */
  private boolean atRest() {
    return allEmbedded() && watch.requested.containsAll(good) && watch.answeredAndApplied()
        && watch.quietFor().compareTo(REST) >= 0;
  }

  /** Polls {@code done} until it holds or {@code until} (nanoTime); restarts the service if it died by itself. */
  private boolean await(BooleanSupplier done, long until) throws InterruptedException {
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        return false;
      }
      if (!child.alive()) {
        unplannedExits++;
        out.println("chaos: the service exited by itself; restarting it");
        try {
          startService();
        } catch (IOException e) {
          throw new IllegalStateException("cannot restart the service", e);
        }
      }
      Thread.sleep(100);
    }
    return true;
  }


  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
