package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.eval.LearningCurves;
import io.alvlm.eval.RoundResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  private static int run(String... args) {
    return Alvlm.commandLine().execute(args);
  }

  private static List<String[]> csv(Path out) throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(String.join(",", RoundResult.COLUMNS), lines.get(0));
    List<String[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) rows.add(l.split(","));
    return rows;
  }

  private static String[] row(List<String[]> rows, String strategy, String seed, int round) {
    return rows.stream().filter(r -> r[0].equals(strategy) && r[1].equals(seed) && r[2].equals(String.valueOf(round)))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + strategy + " seed " + seed + " round " + round));
  }

  /** Labels = rounds × budget, accuracies in [0, 1], the zero-shot row first and its figures on every row; JSON = CSV. */
  private static void assertConsistent(Path out, List<String> strategies, List<String> seeds, int rounds, int budget)
      throws Exception {
    List<String[]> rows = csv(out);
    assertEquals(1 + strategies.size() * seeds.size() * rounds, rows.size());
    String[] zs = rows.get(0);
    assertEquals(List.of("zero-shot", "0", "0", "0"), Arrays.asList(zs).subList(0, 4));
    for (String[] r : rows) {
      for (int c : new int[] {5, 6, 7, 8}) {
        double v = Double.parseDouble(r[c]);
        assertTrue(v >= 0 && v <= 1, "accuracy " + v + " in " + Arrays.toString(r));
      }
      assertEquals(zs[5], r[7]);
      assertEquals(zs[6], r[8]);
      assertEquals(Integer.parseInt(r[2]) * budget, Integer.parseInt(r[3]), Arrays.toString(r));
    }
    for (String s : strategies) for (String seed : seeds) for (int k = 1; k <= rounds; k++) row(rows, s, seed, k);
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(rows.size(), json.get("rows").size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode j = json.get("rows").get(i);
      assertEquals(rows.get(i)[0], j.get("strategy").asText());
      assertEquals(Integer.parseInt(rows.get(i)[3]), j.get("labels").asInt());
      assertEquals(Double.parseDouble(rows.get(i)[5]), j.get("top1").asDouble(), 1e-6);
    }
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("| zero-shot |"), summary);
    for (String s : strategies) assertTrue(summary.contains("| " + s + " |"), summary);
    BufferedImage png = ImageIO.read(out.resolve("curves.png").toFile());
    assertNotNull(png, "curves.png does not decode");
    assertEquals(LearningCurves.WIDTH, png.getWidth());
    assertEquals(LearningCurves.HEIGHT, png.getHeight());
  }

  @Test
  void fashionMnistWithTinyClipContinuesAfterAnInterruptedRun() throws Exception {
    Path out = dir.resolve("results");
    List<String> common = List.of("evaluate", "--model", Fixtures.clipTinyModel().toString(), "--dataset",
        "fashion-mnist:data/fashion-mnist", "--pool-size", "200", "--test-size", "100", "--strategies", "cec,random",
        "--budget", "10", "--seeds", "1", "--epochs", "2", "--cache", dir.resolve("cache").toString(), "--out",
        out.toString());
    List<String> once = new ArrayList<>(common);
    once.addAll(List.of("--rounds", "1"));
    assertEquals(0, run(once.toArray(String[]::new)));
    assertConsistent(out, List.of("cec", "random"), List.of("1"), 1, 10);
    String[] cecRound1 = row(csv(out), "cec", "1", 1);
    String picks1 = Files.readString(out.resolve("state/cec-seed1.picks"));

    List<String> twice = new ArrayList<>(common);
    twice.addAll(List.of("--rounds", "2"));
    assertEquals(0, run(twice.toArray(String[]::new)));
    assertConsistent(out, List.of("cec", "random"), List.of("1"), 2, 10);
    List<String[]> rows = csv(out);
    // round 1 was not redone: its row, finish time included, and its picks are as the first run left them
    assertEquals(Arrays.asList(cecRound1), Arrays.asList(row(rows, "cec", "1", 1)));
    assertTrue(Files.readString(out.resolve("state/cec-seed1.picks")).startsWith(picks1));
    assertEquals(2, Files.readAllLines(out.resolve("state/cec-seed1.picks")).size());
    assertTrue(row(rows, "cec", "1", 2)[11].compareTo(cecRound1[11]) > 0);
    // only the last round's class features are kept
    try (Stream<Path> s = Files.list(out.resolve("state"))) {
      assertEquals(List.of("cec-seed1.round2.npy", "random-seed1.round2.npy"),
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().toList());
    }
    // a different budget is another experiment, not a continuation
    List<String> other = new ArrayList<>(twice);
    other.set(other.indexOf("10"), "20");
    assertNotEquals(0, run(other.toArray(String[]::new)));
    assertEquals(rows.size(), csv(out).size());
  }

  @Test
  void coopLayoutDatasetShowsThePapersFigures() throws Exception {
    Path root = dir.resolve("eurosat");
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    String[] classes = {"Forest", "River", "SeaLake", "Highway"};
    for (int k = 0; k < classes.length; k++) {
      for (int i = 0; i < 27; i++) {
        String rel = classes[k] + "/" + classes[k] + "_" + i + ".jpg";
        image(root.resolve("2750").resolve(rel), k, i);
        StringBuilder sb = i < 25 ? train : test;
        sb.append(sb.length() > 0 ? ", " : "").append("[\"").append(rel).append("\", ").append(k).append(", \"")
            .append(classes[k]).append("\"]");
      }
    }
    Files.writeString(root.resolve("split_zhou_EuroSAT.json"),
        "{\"train\": [" + train + "], \"val\": [], \"test\": [" + test + "]}");
    Path out = dir.resolve("results");
    assertEquals(0, run("evaluate", "--model", Fixtures.clipTinyModel().toString(), "--dataset", "coop:" + root,
        "--strategies", "entropy,random", "--rounds", "2", "--budget", "1%", "--seeds", "1", "--epochs", "2", "--views", "2",
        "--cache", dir.resolve("cache").toString(), "--out", out.toString()));
    assertConsistent(out, List.of("entropy", "random"), List.of("1"), 2, 1);
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("| method | 1% (1) | 2% (2) |"), summary);
    assertTrue(summary.contains("| *paper: CEC (ViT-B/16)* | *82.8* | *86.2* |"), summary);
    assertTrue(summary.contains("| *paper: zero-shot (ViT-B/16)* | *42.0* | *42.0* |"), summary);
    JsonNode settings = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("settings");
    assertEquals("EuroSAT", settings.get("dataset").asText());
    assertEquals(3, settings.get("zero_shot_templates").asInt());
    assertEquals(2, settings.get("views").asInt());
  }

  @Test
  void precomputedFeaturesTrainACosineClassifier() throws Exception {
    Npy.FloatArray f = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy"));
    long[] y = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data();
    int d = f.cols();
    Npy.writeFloats(dir.resolve("pool.npy"), Arrays.copyOfRange(f.data(), 0, 1500 * d), 1500, d);
    Npy.writeFloats(dir.resolve("test.npy"), Arrays.copyOfRange(f.data(), 1500 * d, 2000 * d), 500, d);
    Npy.writeLongs(dir.resolve("pool-labels.npy"), Arrays.copyOfRange(y, 0, 1500), 1500);
    Npy.writeLongs(dir.resolve("test-labels.npy"), Arrays.copyOfRange(y, 1500, 2000), 500);
    Path out = dir.resolve("results");
    assertEquals(0, run("evaluate", "--features", dir.resolve("pool.npy").toString(), "--labels",
        dir.resolve("pool-labels.npy").toString(), "--text", Fixtures.cecSmall().resolve("text.npy").toString(),
        "--test-features", dir.resolve("test.npy").toString(), "--test-labels",
        dir.resolve("test-labels.npy").toString(), "--strategies", "cec,random", "--rounds", "2", "--budget",
        "2/class", "--seeds", "1,2", "--epochs", "20", "--strategy-param", "cec.k=5", "--strategy-param", "cec.inits=2", "--out", out.toString()));
    assertConsistent(out, List.of("cec", "random"), List.of("1", "2"), 2, 40);
    List<String[]> rows = csv(out);
    double zs = Double.parseDouble(rows.get(0)[5]);
    assertEquals(0.63, zs, 0.05);
    assertTrue(Double.parseDouble(row(rows, "random", "1", 2)[5]) > zs, "80 labels should beat zero-shot");
    assertTrue(Files.readString(out.resolve("summary.md")).contains(" ± "));
    JsonNode settings = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("settings");
    assertEquals("cosine", settings.get("learner").asText());
    assertEquals("5", settings.get("strategy_params").get("cec").get("k").asText());
  }

  private static void image(Path file, int label, int i) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.getHSBColor(label / 4f, 0.8f, 0.9f));
    g.fillRect(0, 0, 16, 16);
    g.setColor(Color.getHSBColor(i / 27f, 0.4f, 0.3f));
    g.fillRect(i % 9, i % 7, 6, 6);
    g.dispose();
    ImageIO.write(img, "jpg", file.toFile());
  }
}
