package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CoopTrainerTest {
  static ClipModel model;
  static final List<String> CLASSES = List.of("dog", "cat", "banded", "Highway or Road");
  static final int[] LABELS = {0, 1, 2, 3};

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.clipTinyModel());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static CoopConfig config(String init, boolean csc, CoopConfig.ClassPosition pos, int epochs, double lr) {
    return new CoopConfig(4, init, csc, pos, epochs, 4, lr, 0.9, 5e-4, 1, 1e-5, 0, 7, true);
  }

  @Test
  void lossFallsOnASmallTrainingSet() {
    PromptModel pm = new CoopTrainer(model, config("a photo of a", false, CoopConfig.ClassPosition.END, 30, 0.5))
        .train(Expected.rows("coop_image_feats"), LABELS, CLASSES);
    assertTrue(pm.metrics().get("loss") < 0.8 * pm.metrics().get("loss_first_epoch"), pm.metrics().toString());
    assertEquals(30.0, pm.metrics().get("steps"));
  }

  @Test
  void lossFallsWithRandomClassSpecificContextInTheMiddle() {
    PromptModel pm = new CoopTrainer(model, config("", true, CoopConfig.ClassPosition.MIDDLE, 30, 0.05))
        .train(Expected.rows("coop_image_feats"), LABELS, CLASSES);
    assertTrue(pm.metrics().get("loss") < 0.8 * pm.metrics().get("loss_first_epoch"), pm.metrics().toString());
    assertArrayEquals(new long[] {4, 4, 64}, pm.contextShape());
    assertEquals(4 * 4 * 64, pm.context().length);
  }

  @Test
  void seededTrainingIsDeterministic() {
    CoopConfig cfg = config("", false, CoopConfig.ClassPosition.END, 3, 0.01);
    float[][] views = Expected.rows("coop_image_feats");
    PromptModel a = new CoopTrainer(model, cfg).train(views, LABELS, CLASSES);
    PromptModel b = new CoopTrainer(model, cfg).train(views, LABELS, CLASSES);
    assertArrayEquals(a.context(), b.context());
    assertArrayEquals(a.textFeatures(), b.textFeatures());
  }

  @Test
  void classTextFeaturesAreNormalised() {
    PromptModel pm = new CoopTrainer(model, config("a photo of a", false, CoopConfig.ClassPosition.END, 1, 0.01))
        .train(Expected.rows("coop_image_feats"), LABELS, CLASSES);
    for (float[] row : pm.classFeatures()) assertEquals(1.0, Math.sqrt(Features.dot(row, row)), 1e-5);
    assertEquals("clip-tiny", pm.baseModelId());
    assertEquals(model.logitScale(), pm.logitScale());
  }

  @Test
  void frontPositionPutsTheNameBeforeTheContext() {
    PromptLearner front = new PromptLearner(model, CLASSES, config("", false, CoopConfig.ClassPosition.FRONT, 1, 0));
    PromptLearner end = new PromptLearner(model, CLASSES, config("", false, CoopConfig.ClassPosition.END, 1, 0));
    long[] f = front.promptIds()[3];
    long[] e = end.promptIds()[3];
    int nameLen = end.endOfText()[3] - 1 - 4 - 1;
    assertArrayEquals(Arrays.copyOfRange(e, 5, 5 + nameLen), Arrays.copyOfRange(f, 1, 1 + nameLen));
    assertEquals(end.endOfText()[3], front.endOfText()[3]);
    assertNotEquals(Arrays.deepToString(front.classFeatures(front.initialContext())),
        Arrays.deepToString(end.classFeatures(end.initialContext())));
  }

  @Test
  void classSpecificGradientReachesEachClassContext() {
    CoopConfig cfg = config("a photo of a", true, CoopConfig.ClassPosition.END, 1, 0);
    PromptLearner learner = new PromptLearner(model, CLASSES, cfg);
    float[] ctx = learner.initialContext();
    // with CSC initialised from words, every class starts from the same context
    assertArrayEquals(Arrays.copyOfRange(ctx, 0, 256), Arrays.copyOfRange(ctx, 256, 512));
    CoopTrainer.Step s = new CoopTrainer(model, cfg).step(learner, ctx, Expected.rows("coop_image_feats"), LABELS);
    for (int k = 0; k < 4; k++) {
      double norm = 0;
      for (int i = k * 256; i < (k + 1) * 256; i++) norm += s.gradient()[i] * s.gradient()[i];
      assertTrue(norm > 0, "class " + k + " context got no gradient");
    }
    // the shared-context gradient is the sum of the class-specific ones
    CoopTrainer.Step shared = new CoopTrainer(model, CoopConfig.defaults())
        .step(new PromptLearner(model, CLASSES, CoopConfig.defaults()), Arrays.copyOf(ctx, 256),
            Expected.rows("coop_image_feats"), LABELS);
    float[] summed = new float[256];
    for (int i = 0; i < 1024; i++) summed[i % 256] += s.gradient()[i];
    assertTrue(Expected.relativeError(new float[][] {summed}, new float[][] {shared.gradient()}) < 1e-4);
  }

  @Test
  void refusesLabelsOutsideTheClasses() {
    CoopTrainer t = new CoopTrainer(model, CoopConfig.defaults().withEpochs(1));
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> t.train(Expected.rows("coop_image_feats"), new int[] {0, 1, 2, 4}, CLASSES));
    assertTrue(e.getMessage().contains("label 4 of image 3"), e.getMessage());
  }

  @Test
  void trainsOnSampledViews() {
    float[][] f = Expected.rows("coop_image_feats");
    float[][][] views = new float[4][][];
    for (int i = 0; i < 4; i++) views[i] = new float[][] {f[i], f[(i + 1) % 4]};
    PromptModel pm = new CoopTrainer(model, config("a photo of a", false, CoopConfig.ClassPosition.END, 2, 0.01))
        .train(views, LABELS, CLASSES);
    assertEquals(2.0, pm.metrics().get("steps"));
  }

  @Test
  void trainingStepsLeaveNoArraysBehind() {
    int before = model.liveArrays();
    new CoopTrainer(model, config("", true, CoopConfig.ClassPosition.FRONT, 5, 0.001))
        .train(Expected.rows("coop_image_feats"), LABELS, CLASSES);
    assertEquals(before, model.liveArrays());
  }

  @Test
  void augmentedViewsAreSeededAndZeroViewsArePlainFeatures() throws Exception {
    List<byte[]> pngs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pngs.add(java.nio.file.Files.readAllBytes(Fixtures.clipTiny().resolve("images/img" + i + ".png")));
    }
    float[][][] plain = new AugmentedViews(model, 1_000_000, 0).compute(pngs, 0);
    float[][] first = new float[3][];
    for (int i = 0; i < 3; i++) first[i] = plain[i][0];
    assertTrue(Expected.relativeError(first, Expected.rows("png_image_embeds")) < 2e-2);
    float[][][] a = new AugmentedViews(model, 1_000_000, 9).compute(pngs, 3);
    float[][][] b = new AugmentedViews(model, 1_000_000, 9).compute(pngs, 3);
    assertEquals(3, a[2].length);
    assertArrayEquals(a[1][2], b[1][2]);
    assertNotEquals(Arrays.toString(a[0][0]), Arrays.toString(a[0][1]));
  }
}
