package io.alvlm.chaos;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The service's settings in a chaos run: the tiny CLIP, Fashion-MNIST's classes, short ticks and
 * waits, a budget of 15% of the pool per round with the first round after a fifth of the images,
 * cheap retraining published every time, so that batches, rounds and retrainings all happen while
 * the run kills things, and the loop ends when every image is labelled. The soak starts from these.
 */
public final class ChaosSettings {
  private ChaosSettings() {}

  static Map<String, String> of(ChaosRun.Options o, String bootstrap) {
    return of(o.home(), o.dir().resolve("state"), Math.max(10, o.images() / 5), bootstrap);
  }

  /**
   * @param home the alvlm folder (models/clip-tiny, data/fashion-mnist)
   * @param minNew images that open a round ({@code query.min-new})
   */
  public static Map<String, String> of(Path home, Path stateDir, int minNew, String bootstrap) {
    Map<String, String> s = new TreeMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("state.dir", stateDir.toAbsolutePath().toString());
    s.put("model.dir", home.resolve("models/clip-tiny").toAbsolutePath().toString());
    s.put("classes.file", home.resolve("data/fashion-mnist/classes.txt").toAbsolutePath().toString());
    s.put("http.bind", "127.0.0.1");
    s.put("http.port", "0");
    s.put("topics.images.partitions", "2");
    s.put("embed.batch.size", "16");
    s.put("embed.max.wait.ms", "200");
    s.put("query.tick.ms", "200");
    s.put("query.budget", "15%");
    s.put("query.min-new", Integer.toString(minNew));
    s.put("query.interval.ms", "5000");
    // the invariants count one request per image: no rechecks of answered ones, and no near-copy
    // suppression, which on the tiny random CLIP's crowded embeddings would shrink every round
    s.put("query.recheck.share", "0");
    s.put("query.dedup.cosine", "off");
    s.put("train.min-new-labels", "1000000");
    s.put("train.epochs", "2");
    s.put("train.gate", "always");
    // a killed member leaves the group after 6 s instead of 45 s
    s.put("kafka.session.timeout.ms", "6000");
    s.put("kafka.heartbeat.interval.ms", "1500");
    return s;
  }

  public static void write(Path file, Map<String, String> settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, "alvlm chaos run");
    }
  }
}
