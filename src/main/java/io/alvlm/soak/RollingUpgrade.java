package io.alvlm.soak;

import io.alvlm.chaos.ChaosSettings;
import io.alvlm.serde.RecordTypes;
import io.alvlm.serde.SerdeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The soak's rolling upgrade ({@code --upgrade}). Until it, every role runs as the old build: the same
 * jar pinned to the previous {@code Label} schema ({@code serde.label.schema-version}), so it writes Label
 * records with that writer schema under its own registry id and reads every Label with it as reader
 * schema. At the halfway mark each role in turn is stopped cleanly and started on the current schema,
 * and the next one waits until everything is healthy again, as after a fault: the embedders, the pool,
 * the trainer, then the workbench, so that readers run the new build before the writer of the new
 * field does. From the workbench's restart on, the scripted annotator adds a note to its answers, which
 * the workbench writes into {@code Label.note}.
 */
final class RollingUpgrade {
  /** The roles in the order they are upgraded: readers of Label records before its writer. */
  static final List<String> ORDER = List.of("embedder-1", "embedder-2", "pool", "trainer", "workbench");
  /** The Label schema version of this build, and the one before it (the old build's). */
  static final int NEW = RecordTypes.history("Label").size();
  static final int OLD = NEW - 1;

  private final Cluster cluster;
  private final Sampler sampler;
  private final Path configs;
  private final PrintStream out;
  private final List<String> problems = new ArrayList<>();
  private int restarted;
  private boolean played;
  /** Label records of each version (v OLD, v NEW) that the pool read while it was the old build. */
  private final long[] oldPoolRead = new long[2];

  RollingUpgrade(Cluster cluster, Sampler sampler, Path configs, PrintStream out) {
    this.cluster = cluster;
    this.sampler = sampler;
    this.configs = configs;
    this.out = out;
  }

  /** A role's settings as the old build runs them. */
  static Map<String, String> pinned(Map<String, String> settings) {
    Map<String, String> s = new TreeMap<>(settings);
    s.put(SerdeConfig.LABEL_SCHEMA_VERSION, Integer.toString(OLD));
    return s;
  }

  /**
   * Restarts each role on the new build, one at a time, and calls {@code workbenchUpgraded} once the
   * workbench answers again. A role not healthy within {@link FaultPlayer#RECOVERY} is a problem of the
   * run; the next role still follows.
   */
  void play(double atSeconds, Runnable workbenchUpgraded) throws IOException, InterruptedException {
    played = true;
    out.printf(Locale.ROOT, "soak: upgrade at %.0f s: each role restarted in turn on Label v%d (until now pinned to v%d)%n",
        atSeconds, NEW, OLD);
    for (String name : ORDER) {
      SoakProcess p = cluster.get(name);
      Path config = configs.resolve(name + ".properties");
      ChaosSettings.write(config, unpinned(config));
      sampler.scrape(p); // the old instance's last counts of the Label versions it read
      if (name.equals("pool")) {
        oldPoolRead[0] = sampler.labels().count(name, "read", OLD);
        oldPoolRead[1] = sampler.labels().count(name, "read", NEW);
      }
      long t0 = System.nanoTime();
      cluster.hold(name, true);
      p.stop();
      p.start();
      cluster.hold(name, false);
      boolean ok = cluster.awaitHealthy(FaultPlayer.RECOVERY);
      double took = (System.nanoTime() - t0) / 1e9;
      if (ok) {
        restarted++;
      } else {
        problems.add("upgrade: " + name + " not healthy within " + FaultPlayer.RECOVERY.toSeconds() + " s of its restart: "
            + cluster.unhealthy());
      }
      out.printf(Locale.ROOT, "soak: upgrade: %s stopped and started on Label v%d; %s%n", name, NEW,
          ok ? String.format(Locale.ROOT, "healthy again in %.1f s", took) : "NOT healthy within " + FaultPlayer.RECOVERY.toSeconds()
              + " s: " + cluster.unhealthy());
      if (name.equals("workbench")) {
        workbenchUpgraded.run();
      }
    }
  }

  private static Map<String, String> unpinned(Path config) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(config)) {
      p.load(r);
    }
    Map<String, String> s = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> s.put(k, p.getProperty(k)));
    s.remove(SerdeConfig.LABEL_SCHEMA_VERSION);
    return s;
  }

  /**
   * What the upgrade showed, checked at the end: every role restarted, the pool read Label records of
   * both versions, the workbench wrote both, and the labels written after the upgrade carry notes.
   *
   * @param labels the counts read from the roles' metrics
   * @param withNote labels on the topic that carry a note
   * @param extraDeadLetters dead letters beyond one per corrupt input
   */
  Outcome outcome(LabelVersionCounts labels, long withNote, int extraDeadLetters) {
    return outcome(played, restarted, problems, oldPoolRead, labels, withNote, extraDeadLetters);
  }

  /**
   * {@link #outcome(LabelVersionCounts, long, int)} of an upgrade that restarted {@code restarted} roles
   * and found {@code found}, whose pool had read {@code oldPoolRead} (v OLD, v NEW) as the old build.
   */
  static Outcome outcome(boolean played, int restarted, List<String> found, long[] oldPoolRead, LabelVersionCounts labels,
      long withNote, int extraDeadLetters) {
    List<String> p = new ArrayList<>(found);
    if (!played) {
      p.add("upgrade: never played (the run ended before its halfway mark)");
    }
    long oldRead = labels.count("pool", "read", OLD);
    long newRead = labels.count("pool", "read", NEW);
    long oldWritten = labels.count("workbench", "written", OLD);
    long newWritten = labels.count("workbench", "written", NEW);
    if (oldRead == 0 || newRead == 0) {
      p.add(String.format(Locale.ROOT, "upgrade: the pool read %d Label v%d and %d v%d records (want both above 0)", oldRead, OLD,
          newRead, NEW));
    }
    if (oldWritten == 0 || newWritten == 0) {
      p.add(String.format(Locale.ROOT, "upgrade: the workbench wrote %d Label v%d and %d v%d records (want both above 0)", oldWritten,
          OLD, newWritten, NEW));
    }
    if (withNote == 0) {
      p.add("upgrade: no label on alvlm.labels carries the annotator's note");
    }
    String line = String.format(Locale.ROOT, "soak: upgrade: %d/%d roles restarted on Label v%d; labels read v%d %d v%d %d by the "
        + "pool (the only role with a Label source; its old build v%d %d v%d %d, its new one v%d %d v%d %d); written v%d %d v%d %d by "
        + "the workbench, %d with a note; dead letters %d beyond the corrupt inputs", restarted, ORDER.size(), NEW, OLD, oldRead, NEW,
        newRead, OLD, oldPoolRead[0], NEW, oldPoolRead[1], OLD, oldRead - oldPoolRead[0], NEW, newRead - oldPoolRead[1], OLD,
        oldWritten, NEW, newWritten, withNote, extraDeadLetters);
    if (extraDeadLetters != 0) {
      p.add("upgrade: " + extraDeadLetters + " dead letters beyond the corrupt inputs");
    }
    return new Outcome(line, List.copyOf(p));
  }

  /** The upgrade's line before the last one, and what failed the run. */
  record Outcome(String line, List<String> problems) {}
}
