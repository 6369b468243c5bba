package io.alvlm.soak;

import io.alvlm.chaos.TopicWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a soak shows besides its last line. A real Prometheus ({@link PrometheusProcess}) scrapes every
 * role's {@code /metrics} every {@link #SCRAPE}, each target labelled with its role, and is retargeted
 * when a role comes back on another port; {@value SoakPlots#PROGRESS} gets a row every {@link #EVERY}
 * from the topic watch. At the end, while the roles still run, every panel of the Grafana dashboard is
 * queried ({@link DashboardCheck}): a panel with no data is one of the run's {@link #problems()}. On
 * close the plots ({@link SoakPlots}) are drawn into {@code DIR/plots}.
 */
final class SoakObservation implements AutoCloseable {
  static final Duration SCRAPE = Duration.ofSeconds(5);
  static final Duration EVERY = Duration.ofSeconds(10);
  /**
   * How long the check waits for a panel without data to get some: a role restarted by the last fault
   * needs two scrapes inside a rate window before its rates exist again.
   */
  static final Duration SETTLE = Duration.ofSeconds(30);

  private final Path home;
  private final Path dir;
  private final List<SoakProcess> processes;
  private final long startNanos;
  private final PrintStream out;
  private final PrometheusProcess prometheus;
  private final ProgressCsv progress;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-observation");
    t.setDaemon(true);
    return t;
  });
  private volatile Map<String, String> targets;
  private volatile TopicWatch watch;
  private volatile boolean tickFailed;

  private SoakObservation(Path home, Path dir, List<SoakProcess> processes, long startNanos, PrintStream out,
      PrometheusProcess prometheus, Map<String, String> targets) throws IOException {
    this.home = home;
    this.dir = dir;
    this.processes = processes;
    this.startNanos = startNanos;
    this.out = out;
    this.prometheus = prometheus;
    this.targets = targets;
    this.progress = new ProgressCsv(dir.resolve(SoakPlots.PROGRESS));
  }

  /** Fails in one line, before anything starts, when there is no Prometheus to run: the soak needs it. */
  static void requirePrometheus() {
    if (PrometheusProcess.binary().isEmpty()) {
      throw new IllegalStateException("Prometheus is required and no prometheus is on the PATH; install Debian's "
          + "package (apt-get install -y prometheus), as .ci/run does");
    }
  }

  /**
   * Starts Prometheus on the roles of {@code processes} that have metrics (their ports are known once
   * their configs are written; a role not up yet is a target down, not an error).
   *
   * @param home the alvlm folder, whose {@link GrafanaDashboard#FILE} is checked
   * @param dir the soak's work folder: prometheus/, progress.csv, plots/
   */
  static SoakObservation start(Path home, Path dir, List<SoakProcess> processes, long startNanos, PrintStream out)
      throws IOException, InterruptedException {
    Map<String, String> targets = targets(processes);
    PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus"), targets, SCRAPE);
    try {
      SoakObservation o = new SoakObservation(home, dir, processes, startNanos, out, prometheus, targets);
      out.printf("soak: prometheus %s scrapes %d roles every %d s (data in %s)%n", prometheus.url(), targets.size(),
          SCRAPE.toSeconds(), dir.resolve("prometheus"));
      return o;
    } catch (IOException e) {
      prometheus.close();
      throw e;
    }
  }

  /** Each role with metrics: name -> host:port of its {@code /metrics}. */
  static Map<String, String> targets(List<SoakProcess> processes) {
    Map<String, String> t = new TreeMap<>();
    for (SoakProcess p : processes) {
      if (p.metrics != null) {
        t.put(p.name, p.metrics.getHost() + ":" + p.metrics.getPort());
      }
    }
    return t;
  }

  /** From now on, a {@value SoakPlots#PROGRESS} row every {@link #EVERY} from {@code topics}. */
  void follow(TopicWatch topics) {
    watch = topics;
    timer.scheduleAtFixedRate(this::tick, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      Map<String, String> now = targets(processes);
      if (!now.equals(targets)) {
        prometheus.retarget(now);
        targets = now;
        out.println("soak: prometheus retargeted to " + now);
      }
      TopicWatch w = watch;
      progress.row(seconds(), w.embedded.size(), w.rounds.get(), w.lastRoundSeconds);
    } catch (IOException | RuntimeException e) {
      // a scheduled task that throws is never run again: note it once and keep going
      if (!tickFailed) {
        tickFailed = true;
        problems.add("progress.csv or the Prometheus targets not kept up to date: " + e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queries every panel of the dashboard now, again each scrape for up to {@link #SETTLE} while some
   * panel has none, then prints the summary line; each panel still without data is a problem.
   */
  void checkDashboard() throws InterruptedException {
    Path file = home.resolve(GrafanaDashboard.FILE);
    try {
      GrafanaDashboard dashboard = GrafanaDashboard.read(file);
      long end = System.nanoTime() + SETTLE.toNanos();
      List<DashboardCheck.PanelResult> panels = check(dashboard);
      while (!DashboardCheck.failures(panels).isEmpty() && System.nanoTime() < end) {
        Thread.sleep(SCRAPE.toMillis()); // until the next scrape, which may bring the data
        panels = check(dashboard);
      }
      out.println("soak: " + DashboardCheck.summary(panels) + " (" + file + " against " + prometheus.url() + ")");
      DashboardCheck.failures(panels).forEach(f -> problems.add("dashboard: " + f));
    } catch (IOException e) {
      out.println("soak: dashboard not checked: " + e.getMessage());
      problems.add("dashboard " + file + " not checked: " + e);
    }
  }

  private List<DashboardCheck.PanelResult> check(GrafanaDashboard dashboard) throws IOException, InterruptedException {
    return DashboardCheck.check(dashboard, prometheus.api(),
        DashboardCheck.variables(SCRAPE, Duration.ofSeconds(Math.max(1, (long) seconds()))));
  }

  /** What fails the run: dashboard panels without data, the plots or progress.csv not written. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Writes the last progress row, stops Prometheus and draws the plots. Call it once samples.csv is
   * complete (after the sampler's close).
   */
  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(30, TimeUnit.SECONDS);
    if (watch != null) {
      tick();
    }
    prometheus.close();
    try {
      progress.close();
      SoakPlots.write(dir, dir.resolve("plots"));
      out.println("soak: plots in " + dir.resolve("plots") + " (" + String.join(", ", SoakPlots.RSS, SoakPlots.LAG,
          SoakPlots.INGEST, SoakPlots.ROUNDS) + ")");
    } catch (IOException | IllegalArgumentException e) {
      out.println("soak: plots not drawn: " + e.getMessage());
      problems.add("plots not drawn in " + dir.resolve("plots") + ": " + e.getMessage());
    }
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
