package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.Expected;
import io.alvlm.coop.PromptModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoopCommandsTest {
  @TempDir Path dir;
  Path features;
  Path labels;
  Path classes;

  @BeforeEach
  void writeFixtureSet() throws Exception {
    features = dir.resolve("f.npy");
    labels = dir.resolve("l.npy");
    classes = dir.resolve("classes.txt");
    Npy.writeMatrix(features, Expected.rows("coop_image_feats"));
    Npy.writeLongs(labels, new long[] {0, 1, 2, 3}, 4);
    Files.writeString(classes, "dog\ncat\nbanded\nHighway or Road\n");
  }

  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Alvlm.commandLine().execute(args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void oneEpochOfPlainSgdSavesContextMinusGradient() throws Exception {
    Path out = dir.resolve("p.safetensors");
    run("train", "--model", Fixtures.clipTinyModel().toString(), "--features", features.toString(), "--labels",
        labels.toString(), "--classes", classes.toString(), "--epochs", "1", "--batch-size", "4", "--lr", "1",
        "--momentum", "0", "--weight-decay", "0", "--warmup-epochs", "0", "--out", out.toString());
    PromptModel pm = PromptModel.load(out);
    float[][] ctx0 = Expected.rows("coop_ctx");
    float[][] grad = Expected.rows("coop_grad");
    float[][] want = new float[4][64];
    for (int i = 0; i < 4; i++) for (int j = 0; j < 64; j++) want[i][j] = ctx0[i][j] - grad[i][j];
    float[][] got = new float[4][];
    for (int i = 0; i < 4; i++) got[i] = java.util.Arrays.copyOfRange(pm.context(), i * 64, (i + 1) * 64);
    assertTrue(Expected.relativeError(got, want) < 1e-4);
    assertArrayEquals(new long[] {4, 64}, pm.contextShape());
    assertEquals(java.util.List.of("dog", "cat", "banded", "Highway or Road"), pm.classNames());
  }

  @Test
  void keepIfWorseWritesAModelWhoseLossRose() throws Exception {
    // the overshooting settings of TrainingCheckTest: the training-set loss rises
    Path out = dir.resolve("worse.safetensors");
    String printed = run("train", "--model", Fixtures.clipTinyModel().toString(), "--features", features.toString(),
        "--labels", labels.toString(), "--classes", classes.toString(), "--out", out.toString(), "--n-ctx", "4",
        "--ctx-init", "", "--csc", "--class-position", "FRONT", "--epochs", "5", "--batch-size", "4", "--lr", "0.01",
        "--momentum", "0.9", "--weight-decay", "5e-4", "--warmup-epochs", "1", "--warmup-lr", "1e-5", "--seed", "7",
        "--keep-if-worse");
    assertTrue(printed.contains("train: wrote " + out), printed);
    PromptModel pm = PromptModel.load(out);
    assertTrue(pm.metrics().get("train_loss_after") > pm.metrics().get("train_loss_before"), pm.metrics().toString());
  }

  @Test
  void evalPrintsAccuracyOfPromptsAndZeroShot() throws Exception {
    Path out = dir.resolve("p.safetensors");
    run("train", "--model", Fixtures.clipTinyModel().toString(), "--features", features.toString(), "--labels",
        labels.toString(), "--classes", classes.toString(), "--epochs", "5", "--batch-size", "4", "--csc",
        "--out", out.toString());
    String printed = run("eval", "--model", Fixtures.clipTinyModel().toString(), "--prompt", out.toString(),
        "--features", features.toString(), "--labels", labels.toString(), "--classes", classes.toString());
    assertTrue(printed.contains("prompt model (coop v0, 4 ctx, class-specific): top-1 "), printed);
    assertTrue(printed.contains("zero-shot (1 template): top-1 "), printed);
  }
}
