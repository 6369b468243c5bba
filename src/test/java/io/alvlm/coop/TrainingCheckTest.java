package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCheckTest {
  private static final List<String> CLASSES = List.of("dog", "cat", "banded", "Highway or Road");
  private static final int[] LABELS = {0, 1, 2, 3};
  private static final CoopConfig CFG = CoopConfig.defaults().withEpochs(3);

  private static float[][][] views(float[][] rows) {
    float[][][] v = new float[rows.length][][];
    for (int i = 0; i < rows.length; i++) v[i] = new float[][] {rows[i]};
    return v;
  }

  @Test
  void rejectsANonFiniteContextWithTheInputsHash() {
    Exception e = assertThrows(TrainingCheck.Failed.class,
        () -> TrainingCheck.verify(new float[] {1, Float.NaN}, new float[][] {{1}}, 2, 1, 5, "abc"));
    assertTrue(e.getMessage().contains("not finite: value NaN at index 1") && e.getMessage().contains("sha256 abc"),
        e.getMessage());
  }

  @Test
  void rejectsNonFiniteClassFeaturesAndLoss() {
    assertThrows(TrainingCheck.Failed.class,
        () -> TrainingCheck.verify(new float[] {1}, new float[][] {{1}, {Float.POSITIVE_INFINITY}}, 2, 1, 5, "h"));
    assertThrows(TrainingCheck.Failed.class,
        () -> TrainingCheck.verify(new float[] {1}, new float[][] {{1}}, 2, Double.NaN, 5, "h"));
  }

  @Test
  void aLossThatDidNotFallIsRejectedOnlyWhenStepsRan() {
    Exception e = assertThrows(TrainingCheck.Failed.class,
        () -> TrainingCheck.verify(new float[] {1}, new float[][] {{1}}, 2, 2, 5, "h"));
    assertTrue(e.getMessage().contains("did not fall"), e.getMessage());
    TrainingCheck.verify(new float[] {1}, new float[][] {{1}}, 2, 2, 0, "h");
    TrainingCheck.verify(new float[] {1}, new float[][] {{1}}, 2, 1.9, 5, "h");
  }

  @Test
  void inputsHashIsStableAndSeesEveryInput() {
    float[][][] v = views(Expected.rows("coop_image_feats"));
    String h = TrainingCheck.inputsHash(v, LABELS, CLASSES, CFG);
    assertEquals(64, h.length());
    assertEquals(h, TrainingCheck.inputsHash(views(Expected.rows("coop_image_feats")), LABELS.clone(), CLASSES, CFG));
    assertNotEquals(h, TrainingCheck.inputsHash(v, new int[] {0, 1, 3, 2}, CLASSES, CFG));
    assertNotEquals(h, TrainingCheck.inputsHash(v, LABELS, List.of("dog", "cat", "banded", "road"), CFG));
    assertNotEquals(h, TrainingCheck.inputsHash(v, LABELS, CLASSES, CFG.withEpochs(4)));
    v[2][0][5] += 1e-3f;
    assertNotEquals(h, TrainingCheck.inputsHash(v, LABELS, CLASSES, CFG));
  }

  @Test
  void aTrainingWhoseLossRoseIsNotReturned() throws Exception {
    // random class-specific context at lr 0.01 with momentum overshoots on these four images
    CoopConfig overshoot = new CoopConfig(4, "", true, CoopConfig.ClassPosition.FRONT, 5, 4, 0.01, 0.9, 5e-4, 1, 1e-5,
        0, 7, true);
    float[][] rows = Expected.rows("coop_image_feats");
    try (ClipModel clip = ClipModel.load(Fixtures.clipTinyModel())) {
      TrainingCheck.Failed e = assertThrows(TrainingCheck.Failed.class,
          () -> new CoopTrainer(clip, overshoot).train(rows, LABELS, CLASSES));
      assertEquals(TrainingCheck.inputsHash(views(rows), LABELS, CLASSES, overshoot), e.inputsHash());
      assertTrue(e.getMessage().contains("did not fall"), e.getMessage());
      PromptModel worse = e.worse().orElseThrow(() -> new AssertionError("a finite model whose loss rose is offered"));
      assertEquals(CLASSES, worse.classNames());
      for (float x : worse.context()) assertTrue(Float.isFinite(x));
    }
  }
}
