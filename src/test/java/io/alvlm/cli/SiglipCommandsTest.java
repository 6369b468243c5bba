package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.clip.Expected;
import io.alvlm.clip.Reference;
import io.alvlm.coop.PromptModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.IdxDataset;
import io.alvlm.data.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a user runs, on a SigLIP directory (siglip-tiny) instead of a CLIP one. */
class SiglipCommandsTest {
  private static final Reference EXPECTED = Reference.of(Fixtures.siglipTiny());
  private static final String MODEL = Fixtures.siglipTinyModel().toString();
  @TempDir Path dir;

  /** Exit code and stdout of one command line. */
  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Run(Alvlm.commandLine().execute(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  private static float[][] rows(Npy.FloatArray a) {
    float[][] out = new float[a.rows()][];
    for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    return out;
  }

  /** The first {@code n} Fashion-MNIST training images as PNG files, and their labels. */
  private List<String> fashionPngs(int from, int n, Path labels) throws Exception {
    IdxDataset data = IdxDataset.read(Path.of("data/fashion-mnist"), "train");
    List<String> files = new ArrayList<>();
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      Path f = dir.resolve("fmnist-" + (from + i) + ".png");
      Files.write(f, data.png(from + i));
      files.add(f.toString());
      y[i] = data.label(from + i);
    }
    Npy.writeLongs(labels, y, n);
    return files;
  }

  private Path classPrompts() throws Exception {
    List<String> args = new ArrayList<>(List.of("encode-text", "--model", MODEL, "--out", dir.resolve("text.npy").toString()));
    Files.readAllLines(Path.of("data/fashion-mnist/classes.txt")).stream().filter(s -> !s.isBlank())
        .forEach(c -> args.add("a photo of a " + c + "."));
    assertEquals(0, run(args.toArray(String[]::new)).exit());
    return dir.resolve("text.npy");
  }

  @Test
  void embedAndEncodeTextMatchTransformers() throws Exception {
    Path img = dir.resolve("img.npy");
    List<String> args = new ArrayList<>(List.of("embed", "--model", MODEL, "--out", img.toString()));
    for (int i = 0; i < 3; i++) args.add(Fixtures.siglipTiny().resolve("images/img" + i + ".png").toString());
    assertEquals(0, run(args.toArray(String[]::new)).exit());
    assertArrayEquals(new long[] {3, 64}, Npy.readFloats(img).shape());
    assertTrue(Expected.relativeError(rows(Npy.readFloats(img)), EXPECTED.rows("png_image_embeds")) <= 2e-2);
    Path txt = dir.resolve("txt.npy");
    List<String> texts = new ArrayList<>(List.of("encode-text", "--model", MODEL, "--out", txt.toString()));
    new ObjectMapper().readTree(Fixtures.siglipTiny().resolve("expected.json").toFile()).get("texts")
        .forEach(t -> texts.add(t.asText()));
    assertEquals(0, run(texts.toArray(String[]::new)).exit());
    assertTrue(Expected.relativeError(rows(Npy.readFloats(txt)), EXPECTED.rows("text_embeds")) <= 1e-4);
  }

  @Test
  void oneEpochOfPlainSgdSavesContextMinusTransformersGradientAndEvalScoresIt() throws Exception {
    Path features = dir.resolve("f.npy");
    Path labels = dir.resolve("l.npy");
    Path classes = dir.resolve("classes.txt");
    Npy.writeMatrix(features, EXPECTED.rows("coop_image_feats"));
    Npy.writeLongs(labels, new long[] {0, 1, 2, 3}, 4);
    Files.writeString(classes, "dog\ncat\nbanded\nhighway or road\n");
    Path out = dir.resolve("p.safetensors");
    assertEquals(0, run("train", "--model", MODEL, "--features", features.toString(), "--labels", labels.toString(),
        "--classes", classes.toString(), "--epochs", "1", "--batch-size", "4", "--lr", "1", "--momentum", "0",
        "--weight-decay", "0", "--warmup-epochs", "0", "--out", out.toString()).exit());
    PromptModel pm = PromptModel.load(out);
    float[][] ctx0 = EXPECTED.rows("coop_ctx");
    float[][] grad = EXPECTED.rows("coop_grad");
    float[][] want = new float[4][64];
    float[][] got = new float[4][];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 64; j++) want[i][j] = ctx0[i][j] - grad[i][j];
      got[i] = Arrays.copyOfRange(pm.context(), i * 64, (i + 1) * 64);
    }
    assertTrue(Expected.relativeError(got, want) <= 1e-3);
    assertEquals(10f, pm.logitScale(), 1e-5);
    Run eval = run("eval", "--model", MODEL, "--prompt", out.toString(), "--features", features.toString(), "--labels",
        labels.toString(), "--classes", classes.toString());
    assertEquals(0, eval.exit());
    assertTrue(eval.out().contains("prompt model (coop v0, 4 ctx): top-1 "), eval.out());
    assertTrue(eval.out().contains("zero-shot (1 template): top-1 "), eval.out());
  }

  @Test
  void selectTakesSiglipFeaturesWithTextFeaturesFromEncodeText() throws Exception {
    Path features = dir.resolve("pool.npy");
    List<String> embed = new ArrayList<>(List.of("embed", "--model", MODEL, "--out", features.toString()));
    embed.addAll(fashionPngs(0, 40, dir.resolve("pool-labels.npy")));
    assertEquals(0, run(embed.toArray(String[]::new)).exit());
    Path out = dir.resolve("picks.json");
    Run sel = run("select", "--features", features.toString(), "--text", classPrompts().toString(), "--strategy", "cec",
        "--budget", "5", "--scale", "10", "--k", "3", "--out", out.toString());
    assertEquals(0, sel.exit(), sel.out());
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertEquals(5, json.get("selected").size());
    json.get("pick_scores").forEach(p -> assertTrue(Double.isFinite(p.get("calibrated_entropy").asDouble()), p.toString()));
  }

  @Test
  void evaluateRunsOnSiglipFeaturesInFeaturesMode() throws Exception {
    Path pool = dir.resolve("pool.npy");
    Path test = dir.resolve("test.npy");
    List<String> embedPool = new ArrayList<>(List.of("embed", "--model", MODEL, "--out", pool.toString()));
    embedPool.addAll(fashionPngs(0, 80, dir.resolve("pool-labels.npy")));
    assertEquals(0, run(embedPool.toArray(String[]::new)).exit());
    List<String> embedTest = new ArrayList<>(List.of("embed", "--model", MODEL, "--out", test.toString()));
    embedTest.addAll(fashionPngs(1000, 40, dir.resolve("test-labels.npy")));
    assertEquals(0, run(embedTest.toArray(String[]::new)).exit());
    Path out = dir.resolve("results");
    assertEquals(0, run("evaluate", "--features", pool.toString(), "--labels", dir.resolve("pool-labels.npy").toString(),
        "--text", classPrompts().toString(), "--test-features", test.toString(), "--test-labels",
        dir.resolve("test-labels.npy").toString(), "--logit-scale", "10", "--strategies", "cec,random", "--rounds", "2",
        "--budget", "10", "--seeds", "1", "--epochs", "5", "--out", out.toString()).exit());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 2 * 2, csv.size() - 1, String.join("\n", csv));
    JsonNode settings = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("settings");
    assertEquals(10.0, settings.get("logit_scale").asDouble(), 1e-6);
  }

  @Test
  void evaluateRunsWithASiglipDirectoryOnTheFashionMnistSubset() throws Exception {
    Path out = dir.resolve("results");
    assertEquals(0, run("evaluate", "--model", MODEL, "--dataset", "fashion-mnist:data/fashion-mnist", "--pool-size",
        "100", "--test-size", "50", "--strategies", "cec,random", "--rounds", "1", "--budget", "10", "--seeds", "1",
        "--epochs", "2", "--cache", dir.resolve("cache").toString(), "--out", out.toString()).exit());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 2, csv.size() - 1, String.join("\n", csv));
    JsonNode settings = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("settings");
    assertTrue(settings.get("model").asText().startsWith("siglip-tiny-"), settings.toString());
    assertTrue(Files.readString(out.resolve("summary.md")).contains("siglip-tiny"));
  }

  @Test
  void parityOfFp16AgainstFp32PassesOnSiglip() {
    assertEquals(0, run("parity", "--model", MODEL, "--device", "cpu", "--dtype", "fp16").exit());
  }
}
