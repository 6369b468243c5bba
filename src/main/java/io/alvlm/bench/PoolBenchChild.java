package io.alvlm.bench;

import io.alvlm.service.AlvlmService;
import io.alvlm.config.ServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The pool service of {@code bench pool} in its own JVM, so that the bench measures the pool process
 * alone: {@code java -cp CLASSPATH io.alvlm.bench.PoolBenchChild CONFIG} starts {@link AlvlmService} from
 * the properties file {@code CONFIG} (no {@code ALVLM_*} variables), prints {@value #READY} and answers
 * one line per command read from stdin:
 * <ul>
 *   <li>{@value #STATUS}: {@link Status#line()}, the pool gauges, the rounds counter and readiness;
 *   <li>{@value #RESET_STALL}: {@code ok} once the longest pool step is reset;
 *   <li>{@value #STALL}: the longest pool step since then, in nanoseconds;
 *   <li>{@value #MEMORY}: {@link Memory#line()}, this JVM's peak heap and peak resident set in bytes;
 *   <li>{@value #TASKS}: {@link Tasks#line()}, the active and standby tasks this instance holds and its stores' lag;
 *   <li>{@value #STOP}: closes the service, prints {@value #STOPPED} and exits 0.
 * </ul>
 * Stdout carries the protocol only: logs and anything else printed go to stderr. When stdin ends
 * (the bench is gone) the service is closed as on {@value #STOP}; a failure exits 1.
 */
final class PoolBenchChild {
  static final String READY = "ready";
  static final String STATUS = "status";
  static final String RESET_STALL = "reset-stall";
  static final String STALL = "stall";
  static final String MEMORY = "memory";
  static final String TASKS = "tasks";
  static final String STOP = "stop";
  static final String STOPPED = "stopped";

  private PoolBenchChild() {}

  /** What the bench waits on: images by status, lists still to fold, rounds run, index cells, {@code /health/ready}. */
  record Status(long pooled, long pending, long unfolded, long rounds, long cells, boolean ready) {
    String line() {
      return "pooled=" + pooled + " pending=" + pending + " unfolded=" + unfolded + " rounds=" + rounds + " cells=" + cells
          + " ready=" + ready;
    }

    static Status parse(String line) {
      Map<String, String> v = fields(line, "pooled", "pending", "unfolded", "rounds", "cells", "ready");
      return new Status(Long.parseLong(v.get("pooled")), Long.parseLong(v.get("pending")), Long.parseLong(v.get("unfolded")),
          Long.parseLong(v.get("rounds")), Long.parseLong(v.get("cells")), Boolean.parseBoolean(v.get("ready")));
    }
  }

  /** Peak heap ({@link HeapPeak}, since the JVM started) and peak resident set ({@code VmHWM}; -1 off Linux), bytes. */
  record Memory(long heapBytes, long residentBytes) {
    String line() {
      return "heap=" + heapBytes + " resident=" + residentBytes;
    }

    static Memory parse(String line) {
      Map<String, String> v = fields(line, "heap", "resident");
      return new Memory(Long.parseLong(v.get("heap")), Long.parseLong(v.get("resident")));
    }
  }

  /**
   * The Streams tasks this instance holds, active and standby, and how many changelog records its stores
   * are behind, summed over their partitions (a standby is warm when that is near 0).
   */
  record Tasks(long active, long standby, long lag) {
    String line() {
      return "active=" + active + " standby=" + standby + " lag=" + lag;
    }

    static Tasks parse(String line) {
      Map<String, String> v = fields(line, "active", "standby", "lag");
      return new Tasks(Long.parseLong(v.get("active")), Long.parseLong(v.get("standby")), Long.parseLong(v.get("lag")));
    }

    static Tasks of(org.apache.kafka.streams.KafkaStreams streams) {
      long active = 0;
      long standby = 0;
      for (var t : streams.metadataForLocalThreads()) {
        active += t.activeTasks().size();
        standby += t.standbyTasks().size();
      }
      long lag = streams.allLocalStorePartitionLags().values().stream().flatMap(m -> m.values().stream())
          .mapToLong(org.apache.kafka.streams.LagInfo::offsetLag).sum();
      return new Tasks(active, standby, lag);
    }
  }

  public static void main(String[] args) {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    try {
      ServiceConfig config = ServiceConfig.load(Path.of(args[0]), Map.of(), Map.of());
      try (AlvlmService service = AlvlmService.start(config)) {
        protocol.println(READY);
        serve(service, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), protocol);
      }
      protocol.println(STOPPED);
    } catch (Throwable e) {
      e.printStackTrace();
      // Kafka's threads may still run after a failed start: exit rather than linger
      System.exit(1);
    }
    System.exit(0);
  }

  /** Answers commands until {@value #STOP} or the end of {@code in}. */
  private static void serve(AlvlmService service, BufferedReader in, PrintStream out) throws java.io.IOException {
    MeterRegistry reg = service.registry();
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case STATUS -> out.println(new Status(count(reg, "unlabeled"), count(reg, "pending"), unfolded(reg), rounds(reg),
            gauge(reg, "alvlm.pool.index.cells", 0), service.ready()).line());
        case RESET_STALL -> {
          service.metrics().resetLongestPoolStep();
          out.println("ok");
        }
        case STALL -> out.println(service.metrics().longestPoolStep());
        case MEMORY -> out.println(new Memory(HeapPeak.bytes(), MemoryPeaks.residentPeakBytes()).line());
        case TASKS -> out.println(Tasks.of(service.streams()).line());
        case STOP -> {
          return;
        }
        default -> out.println("error: unknown command '" + line + "'");
      }
    }
  }

  /** The {@code key=value} fields of a reply; fails on a reply without all of {@code keys}. */
  private static Map<String, String> fields(String line, String... keys) {
    Map<String, String> v = new HashMap<>();
    for (String field : line.strip().split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) v.put(field.substring(0, eq), field.substring(eq + 1));
    }
    if (!v.keySet().containsAll(java.util.List.of(keys))) {
      throw new IllegalStateException("the pool's JVM answered '" + line + "'; want " + String.join("=, ", keys) + "=");
    }
    return v;
  }

  private static long count(MeterRegistry reg, String status) {
    var g = reg.find("alvlm.pool.images").tag("status", status).gauge();
    return g == null ? 0 : (long) g.value();
  }

  /** Lists still to fold; unknown (the gauge not registered yet) counts as not current. */
  private static long unfolded(MeterRegistry reg) {
    return gauge(reg, "alvlm.pool.index.unfolded", Long.MAX_VALUE);
  }

  private static long gauge(MeterRegistry reg, String name, long absent) {
    var g = reg.find(name).gauge();
    return g == null ? absent : (long) g.value();
  }

  private static long rounds(MeterRegistry reg) {
    var c = reg.find("alvlm.rounds").counter();
    return c == null ? 0 : (long) c.count();
  }
}
