package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.cli.AlvlmProcess.Run;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input of issue #28, as a user meets it: the built jar in a fresh JVM, one case per row.
 * Each run must end with one line on standard error, {@code alvlm COMMAND: ...} naming the culprit,
 * the exit status (1, or 2 for a usage error), and nothing written: the case's folder holds exactly
 * the inputs it was given.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CliErrorsIT {
  private static final Path TINY = AlvlmProcess.ROOT.resolve("models/clip-tiny");
  @TempDir Path dir;

  /** Writes the case's inputs into its folder. */
  @FunctionalInterface
  interface Inputs {
    void write(Path dir) throws IOException;
  }

  /** One row: what the user typed (and had in the environment), what they must be told, and the exit status. */
  record Case(String name, List<String> args, Map<String, String> env, Inputs inputs, int exit, String command,
      List<String> culprit) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case row(String name, int exit, String command, List<String> culprit, Inputs inputs, String... args) {
    return new Case(name, List.of(args), Map.of(), inputs, exit, command, culprit);
  }

  private static Case rowWithEnv(String name, Map<String, String> env, int exit, String command, List<String> culprit,
      Inputs inputs, String... args) {
    return new Case(name, List.of(args), env, inputs, exit, command, culprit);
  }

  static Stream<Case> cases() {
    Inputs none = d -> { };
    return Stream.of(
        // 3. errors were stack traces
        row("run with a config file that does not exist", 1, "run", List.of("nope.properties", "no such file"), none,
            "run", "--config", "nope.properties"),
        row("run with a mistyped key", 1, "run", List.of("unknown setting 'query.budjet'"),
            config("query.budjet=30"), "run", "--config", "c.properties"),
        row("select --features that does not exist", 1, "select", List.of("no such file: nope.npy"), CliErrorsIT::pool,
            "select", "--features", "nope.npy", "--text", "text.npy", "--budget", "3", "--out", "out/sel.json"),
        row("train --model that is not a directory", 1, "train", List.of("nope has no config.json"), CliErrorsIT::trainSet,
            "train", "--model", "nope", "--features", "f.npy", "--labels", "l.npy", "--classes", "classes.txt", "--out",
            "out/p.safetensors"),
        rowWithEnv("annotate without tokens", Map.of("ALVLM_BOOTSTRAP_SERVERS", "127.0.0.1:1"), 1, "annotate",
            List.of("annotate.tokens", "no annotators"), config("classes=a,b"), "annotate", "--config", "c.properties"),
        row("run against an unreachable broker", 1, "run", List.of("Kafka at 127.0.0.1:1 (bootstrap.servers)"),
            config("bootstrap.servers=127.0.0.1:1"), "run", "--config", "c.properties"),
        row("a missing required option", 2, "train", List.of("Missing required option", "--model"), none, "train"),
        // 4. bad data named
        row("a truncated .npy", 1, "select", List.of("f.npy: truncated"), d -> {
          pool(d);
          byte[] all = Files.readAllBytes(d.resolve("f.npy"));
          Files.write(d.resolve("f.npy"), java.util.Arrays.copyOf(all, all.length - 40));
        }, "select", "--features", "f.npy", "--text", "text.npy", "--budget", "3", "--out", "out/sel.json"),
        row("NaN features in select", 1, "select", List.of("f.npy: value NaN at row 4, column 2"), d -> {
          pool(d);
          nanAt(d.resolve("f.npy"), 4, 2);
        }, "select", "--features", "f.npy", "--text", "text.npy", "--budget", "3", "--out", "out/sel.json"),
        row("NaN features in evaluate", 1, "evaluate", List.of("f.npy: value NaN at row 1, column 0"), d -> {
          evaluateSet(d);
          nanAt(d.resolve("f.npy"), 1, 0);
        }, evaluate("--budget", "2")),
        row("NaN features in train", 1, "train", List.of("f.npy: value NaN at row 0, column 5"), d -> {
          trainSet(d);
          nanAt(d.resolve("f.npy"), 0, 5);
        }, train("--epochs", "2")),
        row("16-wide features against a 32-wide model in train", 1, "train", List.of("16-wide", "projects to 32"), d -> {
          trainSet(d);
          Npy.writeMatrix(d.resolve("f.npy"), random(8, 16, 3));
        }, train("--epochs", "2")),
        row("a header claiming 10^11 rows", 1, "select", List.of("f.npy: header claims shape [100000000000, 32]"), d -> {
          pool(d);
          Path f = d.resolve("f.npy");
          String text = Files.readString(f, StandardCharsets.ISO_8859_1).replace("(40, 32)", "(100000000000, 32)");
          Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        }, "select", "--features", "f.npy", "--text", "text.npy", "--budget", "3", "--out", "out/sel.json"),
        row("budget 0 in select", 2, "select", List.of("--budget 0: want 1 or more"), CliErrorsIT::pool,
            "select", "--features", "f.npy", "--text", "text.npy", "--budget", "0", "--out", "out/sel.json"),
        row("a budget larger than the pool in select", 2, "select", List.of("--budget 500", "40 eligible rows"),
            CliErrorsIT::pool, "select", "--features", "f.npy", "--text", "text.npy", "--budget", "500", "--out",
            "out/sel.json"),
        row("evaluate --budget 150%", 2, "evaluate", List.of("--budget 150%", "at most 100%"), CliErrorsIT::evaluateSet,
            evaluate("--budget", "150%")),
        row("a budget larger than the pool in evaluate", 2, "evaluate", List.of("--budget 10", "pool holds 12 images"),
            CliErrorsIT::evaluateSet, evaluate("--budget", "10")),
        row("train --epochs 0", 2, "train", List.of("--epochs 0: want 1 or more"), CliErrorsIT::trainSet,
            train("--epochs", "0")),
        row("demo --budget 0", 2, "demo", List.of("--budget 0"), none, "demo", "--budget", "0"),
        row("demo --strategy cecc, before the broker starts", 2, "demo", List.of("--strategy cecc", "unknown strategy"),
            none, "demo", "--strategy", "cecc"),
        row("select --strategy that does not exist", 2, "select", List.of("--strategy cecc", "unknown strategy"),
            CliErrorsIT::pool, "select", "--features", "f.npy", "--text", "text.npy", "--strategy", "cecc", "--budget",
            "3", "--out", "out/sel.json"),
        // 5. configuration promises
        rowWithEnv("a mistyped ALVLM_* variable", Map.of("ALVLM_QUERY_BUDJET", "3"), 1, "run",
            List.of("unknown environment variable ALVLM_QUERY_BUDJET"), config("classes=a,b"), "run", "--config",
            "c.properties"),
        row("http.port=99999", 1, "run", List.of("http.port=99999", "65535"), config("http.port=99999"), "run",
            "--config", "c.properties"),
        row("query.budget=0 in the service's grammar", 1, "run", List.of("query.budget=0"), config("query.budget=0"),
            "run", "--config", "c.properties"),
        row("embed's advice names image.max.pixels", 1, "embed", List.of("big.png", "image.max.pixels=100",
            "--max-pixels"), d -> javax.imageio.ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB),
            "png", d.resolve("big.png").toFile()), "embed", "--model", TINY.toString(), "--max-pixels", "100", "--out",
            "out/e.npy", "big.png"),
        row("labels import without classes", 1, "labels import", List.of("no classes"), d -> {
          config("").write(d);
          Files.writeString(d.resolve("l.csv"), "id,class\nimg-1,Bag\n");
        }, "labels", "import", "l.csv", "--config", "c.properties", "--format", "csv"),
        row("labels import of a CSV annotator <script>", 1, "labels import",
            List.of("l.csv: line 2: annotator '<script>alert(1)</script>' is not a name"), d -> {
              config("bootstrap.servers=127.0.0.1:1\nclasses=Bag,Coat").write(d);
              Files.writeString(d.resolve("l.csv"), "id,class,annotator\nimg-1,Bag,<script>alert(1)</script>\n");
            }, "labels", "import", "l.csv", "--config", "c.properties", "--format", "csv"),
        row("labels import --format that does not exist", 2, "labels import", List.of("--format xml"),
            config("classes=Bag"), "labels", "import", "c.properties", "--config", "c.properties", "--format", "xml"),
        // 8. workbench and API rough edges
        row("annotate.tokens with a guessable token", 1, "annotate", List.of("fewer than 8 different characters"),
            config("classes=a,b\nannotate.tokens=ann=aaaaaaaaaaaaaaaaaaaa"), "annotate", "--config", "c.properties"),
        // the other commands, one bad input each
        row("eval --prompt that does not exist", 1, "eval", List.of("no such file: p.safetensors"), CliErrorsIT::trainSet,
            "eval", "--model", TINY.toString(), "--prompt", "p.safetensors", "--features", "f.npy", "--labels", "l.npy",
            "--classes", "classes.txt"),
        row("encode-text --model that is not a directory", 1, "encode-text", List.of("nope has no config.json"), none,
            "encode-text", "--model", "nope", "--out", "out/t.npy", "a photo of a dog"),
        row("labels export --format that does not exist", 2, "labels export", List.of("--format xml"), config("classes=a"),
            "labels", "export", "--config", "c.properties", "--format", "xml", "--out", "out/x.csv"),
        row("rounds resume with a mistyped key", 1, "rounds resume", List.of("unknown setting 'query.stopp'"),
            config("query.stopp=stable"), "rounds", "resume", "--config", "c.properties"),
        row("chaos --images 0", 1, "chaos", List.of("--images >= 1"), none, "chaos", "--images", "0"),
        row("soak --minutes 0", 2, "soak", List.of("--minutes 0.0: must be above 0"), none, "soak", "--minutes", "0"),
        row("repeat-training --calls 0", 2, "repeat-training", List.of("--calls 0: want 1 or more"), none,
            "repeat-training", "--calls", "0"),
        row("parity --dtype that does not exist", 1, "parity", List.of("'bf99'", "fp32, fp16"), none, "parity",
            "--dtype", "bf99"),
        row("bench coop without a model", 2, "bench coop", List.of("Missing required argument", "--arch"), none, "bench",
            "coop"),
        // issue #30, item 8: train refuses a model whose loss rose, naming the option that keeps it
        row("train whose training-set loss rose", 1, "train", List.of("did not fall", "--keep-if-worse"),
            CliErrorsIT::overshootSet, "train", "--model", Fixtures.clipTinyModel().toAbsolutePath().toString(),
            "--features", "f.npy", "--labels", "l.npy", "--classes", "classes.txt", "--out", "out/p.safetensors",
            "--n-ctx", "4", "--ctx-init", "", "--csc", "--class-position", "FRONT", "--epochs", "5", "--batch-size", "4",
            "--lr", "0.01", "--momentum", "0.9", "--weight-decay", "5e-4", "--warmup-epochs", "1", "--warmup-lr",
            "1e-5", "--seed", "7"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  // rows are independent JVMs in their own folders: two at a time, while this class runs (not beside other ITs)
  @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
  void oneLineNamingTheCulpritTheExitStatusAndNothingWritten(Case c) throws Exception {
    c.inputs().write(dir);
    Files.createDirectories(dir.resolve("out"));
    Map<Path, Long> before = files(dir);
    Run r = run(dir, c.env(), c.args());
    String where = c.name() + ": stderr was\n" + r.err() + "\nstdout was\n" + r.out();
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), where);
    String line = lines.get(0);
    assertTrue(line.startsWith("alvlm " + c.command() + ": "), where);
    c.culprit().forEach(s -> assertTrue(line.contains(s), "'" + s + "' in " + where));
    assertFalse(line.contains("Exception"), where);
    assertEquals(c.exit(), r.exit(), where);
    assertEquals(before, files(dir), "nothing written: " + where);
  }

  @Test
  void evaluatesResumeRefusalNamesTheSettingThatDiffers() throws Exception {
    evaluateSet(dir);
    Run first = run(dir, Map.of(), List.of(evaluate("--budget", "2", "--epochs", "1")));
    assertEquals(0, first.exit(), first.err());
    Map<Path, Long> before = files(dir);
    Run again = run(dir, Map.of(), List.of(evaluate("--budget", "2", "--epochs", "2")));
    assertEquals(1, again.exit(), again.err());
    List<String> lines = again.err().lines().filter(l -> l.startsWith("alvlm ")).toList();
    assertEquals(1, lines.size(), again.err());
    assertTrue(lines.get(0).startsWith("alvlm evaluate: "), lines.get(0));
    assertTrue(lines.get(0).contains("holds a run with other settings: epochs: was 1, now 2. Use another --out"),
        lines.get(0));
    assertEquals(before, files(dir), "nothing written");
  }

  @Test
  void debugAndAlvlmDebugPrintTheStackTrace() throws Exception {
    config("query.budjet=30").write(dir);
    for (Run r : List.of(run(dir, Map.of(), List.of("run", "--config", "c.properties", "--debug")),
        run(dir, Map.of("ALVLM_DEBUG", "1"), List.of("run", "--config", "c.properties")))) {
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().startsWith("alvlm run: bad configuration: unknown setting 'query.budjet'"), r.err());
      assertTrue(r.err().contains("java.lang.IllegalArgumentException") && r.err().contains("\tat io.alvlm."), r.err());
    }
  }

  private static Run run(Path cwd, Map<String, String> env, List<String> args) throws Exception {
    return AlvlmProcess.jar(cwd, env, args);
  }

  /** Every file under {@code root} with its size. */
  private static Map<Path, Long> files(Path root) throws IOException {
    Map<Path, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p), Files.size(p));
      }
    }
    return m;
  }

  private static Inputs config(String lines) {
    return d -> Files.writeString(d.resolve("c.properties"), "state.dir=" + d.resolve("out/state")
        + "\nbootstrap.servers=127.0.0.1:1\n" + lines + "\n");
  }

  private static float[][] random(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) row[j] = (float) r.nextGaussian();
    }
    return m;
  }

  private static void nanAt(Path npy, int row, int col) throws IOException {
    Npy.FloatArray a = Npy.readFloats(npy);
    a.data()[row * a.cols() + col] = Float.NaN;
    Npy.writeFloats(npy, a.data(), a.shape());
  }

  /** select: 40 pool features and 5 classes' text features, 32 wide. */
  private static void pool(Path d) throws IOException {
    Npy.writeMatrix(d.resolve("f.npy"), random(40, 32, 1));
    Npy.writeMatrix(d.resolve("text.npy"), random(5, 32, 2));
  }

  /** train: 8 features as wide as the tiny CLIP's projection, labels over 2 classes. */
  private static void trainSet(Path d) throws IOException {
    Npy.writeMatrix(d.resolve("f.npy"), random(8, 32, 3));
    Npy.writeLongs(d.resolve("l.npy"), new long[] {0, 1, 0, 1, 0, 1, 0, 1}, 8);
    Files.writeString(d.resolve("classes.txt"), "Bag\nCoat\n");
  }

  private static String[] train(String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--model", TINY.toString(), "--features", "f.npy", "--labels", "l.npy",
        "--classes", "classes.txt", "--out", "out/p.safetensors"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** The shared CoOp fixture at settings that overshoot (TrainingCheckTest): the loss rises. */
  private static void overshootSet(Path d) throws IOException {
    Npy.writeMatrix(d.resolve("f.npy"), Expected.rows("coop_image_feats"));
    Npy.writeLongs(d.resolve("l.npy"), new long[] {0, 1, 2, 3}, 4);
    Files.writeString(d.resolve("classes.txt"), "dog\ncat\nbanded\nHighway or Road\n");
  }

  /** evaluate on precomputed features: 12 pool and 6 test rows, 3 classes, 32 wide. */
  private static void evaluateSet(Path d) throws IOException {
    Npy.writeMatrix(d.resolve("f.npy"), random(12, 32, 4));
    Npy.writeLongs(d.resolve("l.npy"), new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, 12);
    Npy.writeMatrix(d.resolve("text.npy"), random(3, 32, 5));
    Npy.writeMatrix(d.resolve("tf.npy"), random(6, 32, 6));
    Npy.writeLongs(d.resolve("tl.npy"), new long[] {0, 1, 2, 0, 1, 2}, 6);
  }

  private static String[] evaluate(String... more) {
    List<String> a = new ArrayList<>(List.of("evaluate", "--features", "f.npy", "--labels", "l.npy", "--text", "text.npy",
        "--test-features", "tf.npy", "--test-labels", "tl.npy", "--strategies", "random", "--seeds", "1", "--rounds", "2",
        "--out", "out/eval"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }
}
