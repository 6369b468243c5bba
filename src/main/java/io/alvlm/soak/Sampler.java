package io.alvlm.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples every process of a soak every 10 s into {@code samples.csv}
 * ({@value #HEADER}): the resident set, open descriptors and threads from {@code /proc}, the heap
 * after the last collection from the role's Prometheus endpoint, and the lag of the role's consumer
 * group. An empty field is a value that could not be had at that moment (a process restarting, a
 * broker away, a server without metrics). Keeps each process's resident set for the slopes, and hands
 * each scrape to {@link LabelVersionCounts}.
 */
final class Sampler implements AutoCloseable {
  static final String HEADER = "time_s,role,pid,rss_mib,heap_after_gc_mib,fds,threads,lag";
  static final Duration EVERY = Duration.ofSeconds(10);

  private final List<SoakProcess> processes;
  private final Groups groups;
  private final Writer csv;
  private final long start;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, List<RssSlope.Point>> rss = new ConcurrentHashMap<>();
  private final AtomicLong maxLag = new AtomicLong();
  private final LabelVersionCounts labels = new LabelVersionCounts();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-sampler");
    t.setDaemon(true);
    return t;
  });

  Sampler(Path file, List<SoakProcess> processes, Groups groups, long startNanos) throws IOException {
    this.processes = processes;
    this.groups = groups;
    this.start = startNanos;
    this.csv = Files.newBufferedWriter(file);
    csv.write(HEADER + "\n");
    csv.flush();
    timer.scheduleAtFixedRate(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    double t = (System.nanoTime() - start) / 1e9;
    Map<String, OptionalLong> lags = new HashMap<>();
    StringBuilder lines = new StringBuilder();
    for (SoakProcess p : processes) {
      if (!p.alive()) {
        continue;
      }
      long pid = p.pid();
      ProcStatus s = ProcStatus.of(pid).orElse(null);
      if (s == null) {
        continue;
      }
      OptionalLong lag = p.group == null ? OptionalLong.empty() : lags.computeIfAbsent(p.group, groups::lag);
      lag.ifPresent(l -> maxLag.accumulateAndGet(l, Math::max));
      OptionalDouble heap = heapAfterGcMib(p, pid);
      rss.computeIfAbsent(p.name, k -> new ArrayList<>()).add(new RssSlope.Point(t, pid, s.rssMib()));
      lines.append(String.format(Locale.ROOT, "%.1f,%s,%d,%.1f,%s,%d,%d,%s%n", t, p.name, pid, s.rssMib(),
          heap.isPresent() ? String.format(Locale.ROOT, "%.1f", heap.getAsDouble()) : "", s.fds(), s.threads(),
          lag.isPresent() ? Long.toString(lag.getAsLong()) : ""));
    }
    try {
      csv.write(lines.toString());
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write samples.csv", e);
    }
  }

  /**
   * The heap after collection: Micrometer's {@code jvm_gc_live_data_size_bytes} (the old generation
   * after a collection), or while no old-generation collection has set it yet, the old generation's
   * use, which only changes at collections.
   */
  private OptionalDouble heapAfterGcMib(SoakProcess p, long pid) {
    return metrics(p, pid).flatMap(PrometheusText::heapAfterGcBytes).map(b -> OptionalDouble.of(b / 1048576.0))
        .orElse(OptionalDouble.empty());
  }

  /** Reads {@code p}'s metrics now (before a planned stop, so that its instance's last counts are kept). */
  void scrape(SoakProcess p) {
    if (p.alive()) {
      metrics(p, p.pid());
    }
  }

  /** The text of {@code p}'s {@code /metrics}, also given to {@link #labels()}; empty when it cannot be had. */
  private java.util.Optional<String> metrics(SoakProcess p, long pid) {
    if (p.metrics == null) {
      return java.util.Optional.empty();
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(p.metrics).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return java.util.Optional.empty();
      }
      labels.scraped(p.name, pid, r.body());
      return java.util.Optional.of(r.body());
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** The Label records each process wrote and read, by schema version. */
  LabelVersionCounts labels() {
    return labels;
  }

  /** The resident-set samples of each process name, in time order. */
  Map<String, List<RssSlope.Point>> rss() {
    return rss;
  }

  long maxLag() {
    return maxLag.get();
  }

  /** Stops sampling after one last sample. */
  @Override
  public void close() throws IOException, InterruptedException {
    timer.shutdown();
    timer.awaitTermination(30, TimeUnit.SECONDS);
    sample();
    csv.close();
  }
}
