package io.alvlm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The pool service of {@code bench pool} in a child JVM ({@link PoolBenchChild}): the same {@code java},
 * class path and {@code ai.djl.*}, {@code alvlm.*}, {@code org.slf4j.*} and {@code DJL_*} system
 * properties as this JVM, the environment inherited (the MKL shim's {@code LD_PRELOAD} with it, but not tcmalloc:
 * the pool runs on glibc malloc as {@code bin/alvlm run --role pool} does), its heap set apart.
 * Driven over the child's stdin/stdout; its stderr goes to a log file. Every wait is bounded by the
 * bench's deadline, and a child that dies fails the bench with its exit code and the end of its log.
 */
final class PoolServiceJvm implements AutoCloseable {
  private static final List<String> FORWARDED = List.of("ai.djl.", "alvlm.", "org.slf4j.", "DJL_");
  /**
   * G1 for a heap sized to the pool ({@link PoolHeap}), where the pool's own data fill two thirds of it:
   * with 1 MiB regions every Kafka fetch buffer and fold block was a humongous allocation, and each one
   * above G1's adaptive occupancy threshold started a concurrent mark (thousands of them in a run at a
   * million images, most of a core; docs/benchmarks.md). 4 MiB regions keep those
   * buffers ordinary, and marking starts at 80% occupancy, above what the pool holds live.
   */
  static final List<String> GC_FLAGS = List.of("-XX:G1HeapRegionSize=4m", "-XX:-G1UseAdaptiveIHOP",
      "-XX:InitiatingHeapOccupancyPercent=80");
  private static final String END = "\u0000end of the child's output";
  private static final int TAIL_LINES = 30;

  private final String role;
  private final Process process;
  private final Path log;
  private final BenchDeadline limit;
  private final long started;
  private final Writer commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private double upAfter;

  private PoolServiceJvm(String role, Process process, Path log, BenchDeadline limit, long started) {
    this.role = role;
    this.process = process;
    this.log = log;
    this.limit = limit;
    this.started = started;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "pool-jvm-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the child on the service configuration {@code config} with heap {@code heap} ({@code -Xmx}
   * syntax) and returns once its service has started; {@code role} (ingest, restart, ...) names it in errors.
   */
  static PoolServiceJvm start(String role, Path config, String heap, Path log, BenchDeadline limit) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.add("-Xmx" + heap);
    cmd.addAll(GC_FLAGS);
    cmd.add("-Xlog:gc:file=" + gcLog(log)); // pauses, for attributing long stream-thread steps
    // the bench reads what each start restored and how long the pool's scan took from these lines,
    // whatever level a test's or user's logging configuration sets
    cmd.add("-Dorg.slf4j.simpleLogger.log.io.alvlm.stream.RestoreLog=info");
    cmd.add("-Dorg.slf4j.simpleLogger.log.io.alvlm.pool.PoolRestore=info");
    // and when: the standby's takeover is timed from these lines' times
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    // which instance got which task, active or standby: what a standby that never warms is read from
    cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StreamsPartitionAssignor=info");
    cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.assignment=info");
    String extra = System.getenv("ALVLM_POOL_JVM_OPTS"); // more options for the pool's JVM, e.g. native memory tracking
    if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
    System.getProperties().stringPropertyNames().stream().filter(k -> FORWARDED.stream().anyMatch(k::startsWith)).sorted()
        .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PoolBenchChild.class.getName(), config.toString()));
    long started = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    // a pool-only service runs on glibc malloc with bin/alvlm's caps, as deployed (run --role pool)
    Preload.dropFrom(pb.environment(), Preload.TCMALLOC);
    Process p = pb.start();
    PoolServiceJvm jvm = new PoolServiceJvm(role, p, log, limit, started);
    try {
      jvm.expect("starting", PoolBenchChild.READY);
      jvm.upAfter = jvm.seconds();
    } catch (RuntimeException | InterruptedException e) {
      jvm.close();
      throw e;
    }
    return jvm;
  }

  /** Seconds since the process was started. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** Seconds from the process's start to its service's start (JVM start, class loading, the streams started). */
  double upAfter() {
    return upAfter;
  }

  PoolBenchChild.Status status() throws InterruptedException {
    return PoolBenchChild.Status.parse(ask(PoolBenchChild.STATUS));
  }

  /** Starts a new longest pool step. */
  void resetLongestStep() throws InterruptedException {
    ask(PoolBenchChild.RESET_STALL);
  }

  /** The longest pool step since the last reset, nanoseconds. */
  long longestStep() throws InterruptedException {
    return Long.parseLong(ask(PoolBenchChild.STALL));
  }

  PoolBenchChild.Tasks tasks() throws InterruptedException {
    return PoolBenchChild.Tasks.parse(ask(PoolBenchChild.TASKS));
  }

  PoolBenchChild.Memory memory() throws InterruptedException {
    return PoolBenchChild.Memory.parse(ask(PoolBenchChild.MEMORY));
  }

  /** Closes the service cleanly and waits for the JVM to exit 0. */
  void stop() throws InterruptedException {
    send(PoolBenchChild.STOP);
    expect("stopping", PoolBenchChild.STOPPED);
    limit.await(role + ": the pool's JVM exiting", Duration.ofMillis(50), () -> !process.isAlive());
    if (process.exitValue() != 0) throw died("stopping");
  }

  /** SIGKILL, as a crash ends the process: no shutdown hook, no commit, no checkpoint. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    limit.await(role + ": the pool's JVM ending on SIGKILL", Duration.ofMillis(50), () -> !process.isAlive());
  }

  /** Ends the child if it still runs: SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Where the child started with {@code log} writes its GC log. */
  private static Path gcLog(Path log) {
    return log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + "-gc.log");
  }

  /** The child's log lines that contain {@code text}, so far. */
  List<String> logLines(String text) {
    try (var lines = java.nio.file.Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).toList();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** The longest GC pause the child logged so far, in ms; 0 when none. */
  double longestGcPauseMs() {
    try (var lines = java.nio.file.Files.lines(gcLog(log))) {
      return lines.filter(l -> l.contains("Pause")).map(l -> l.replaceAll(".* ([0-9.]+)ms\\s*$", "$1"))
          .filter(v -> v.matches("[0-9.]+")).mapToDouble(Double::parseDouble).max().orElse(0);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * The most heap in use right after any of the child's collections so far, in bytes (from its GC
   * log's {@code before->after(committed)} figures; 0 when none): what the heap had to hold, dead
   * objects a young collection does not reach included, so an upper bound of the live data. The peak
   * heap of {@link #memory} also counts garbage not yet collected.
   */
  long heapAfterGcBytes() {
    try (var lines = java.nio.file.Files.lines(gcLog(log))) {
      return heapAfterGc(lines);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static final java.util.regex.Pattern GC_SIZES =
      java.util.regex.Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /** The largest {@code after} of the {@code before->after(committed)} pause lines of a {@code -Xlog:gc} log, bytes; 0 when none. */
  static long heapAfterGc(java.util.stream.Stream<String> gcLog) {
    return gcLog.filter(l -> l.contains("Pause")).map(GC_SIZES::matcher).filter(java.util.regex.Matcher::find)
        .mapToLong(m -> Long.parseLong(m.group(3)) << switch (m.group(4)) {
          case "K" -> 10;
          case "M" -> 20;
          default -> 30;
        }).max().orElse(0);
  }

  private String ask(String command) throws InterruptedException {
    send(command);
    return reply("answering '" + command + "'");
  }

  private void send(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw died("reading '" + command + "'");
    }
  }

  private void expect(String doing, String want) throws InterruptedException {
    String got = reply(doing);
    if (!got.equals(want)) {
      throw new IllegalStateException("bench pool: the pool's JVM of the " + role + " printed '" + got + "' instead of '"
          + want + "' while " + doing + "; its log " + log + " ends:\n" + tail());
    }
  }

  /** The next line the child prints; fails when it dies first or the deadline passes. */
  private String reply(String doing) throws InterruptedException {
    for (;;) {
      String line = replies.poll(200, TimeUnit.MILLISECONDS);
      if (END.equals(line)) throw died(doing);
      if (line != null) return line;
      limit.check(role + ": the pool's JVM " + doing);
    }
  }

  private void readReplies() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) replies.add(line);
    } catch (IOException e) {
      // the child's end of the pipe is gone: reported as its death below
    }
    replies.add(END);
  }

  private IllegalStateException died(String doing) {
    String exit;
    try {
      exit = process.waitFor(10, TimeUnit.SECONDS) ? "exited " + process.exitValue() : "closed its output and still runs";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "stopped answering";
    }
    return new IllegalStateException("bench pool: the pool's JVM of the " + role + " (pid " + process.pid() + ") " + exit
        + " while " + doing + "; its log " + log + " ends:\n" + tail());
  }

  private String tail() {
    try {
      List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
