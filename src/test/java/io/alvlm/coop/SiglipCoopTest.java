package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.clip.Reference;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CoOp on siglip-tiny against transformers' {@code SiglipModel}: context at positions 0..3, loss over scale·cos + bias. */
class SiglipCoopTest {
  private static final Reference EXPECTED = Reference.of(Fixtures.siglipTiny());
  private static final int[] LABELS = {0, 1, 2, 3};
  static ClipModel model;
  static List<String> classes;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.siglipTinyModel());
    classes = new ArrayList<>();
    new ObjectMapper().readTree(Fixtures.siglipTiny().resolve("expected.json").toFile()).get("coop_classes")
        .forEach(c -> classes.add(c.asText()));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static CoopConfig config(boolean csc, int epochs, double lr) {
    return new CoopConfig(4, "a photo of a", csc, CoopConfig.ClassPosition.END, epochs, 4, lr, 0.9, 5e-4, 1, 1e-5, 0,
        7, true);
  }

  @Test
  void promptsAreContextNamePeriodEndThenPadding() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    long[][] expected = EXPECTED.ids("coop_prompt_ids");
    for (int k = 0; k < expected.length; k++) {
      long[] want = expected[k].clone();
      long[] got = learner.promptIds()[k];
      // positions 0..3 hold the context (no start token); their ids never reach the text tower
      for (int p = 0; p < 4; p++) want[p] = got[p];
      assertArrayEquals(want, got, "class " + k);
    }
  }

  @Test
  void contextInitialisedFromWordsIsTheirTokenEmbeddings() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    assertEquals(4, learner.nCtx());
    assertEquals(0.0, Expected.maxAbsoluteError(new float[][] {learner.initialContext()},
        new float[][] {Features.flatten(EXPECTED.rows("coop_ctx"))}));
  }

  @Test
  void classFeaturesWithInitialContextMatchTransformers() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    float[][] actual = learner.classFeatures(learner.initialContext());
    assertTrue(Expected.relativeError(actual, EXPECTED.rows("coop_text_embeds")) <= 1e-4);
  }

  @Test
  void lossAndContextGradientMatchTransformers() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    CoopTrainer.Step step = new CoopTrainer(model, CoopConfig.defaults())
        .step(learner, learner.initialContext(), EXPECTED.rows("coop_image_feats"), LABELS);
    float loss = EXPECTED.scalar("coop_loss");
    assertEquals(loss, step.loss(), Math.abs(loss) * 1e-3);
    assertTrue(Expected.relativeError(new float[][] {step.gradient()},
        new float[][] {Features.flatten(EXPECTED.rows("coop_grad"))}) <= 1e-3);
  }

  @Test
  void theCutSettingCannotShortenSiglipPrompts() {
    PromptLearner cut = new PromptLearner(model, classes, CoopConfig.defaults());
    PromptLearner whole = new PromptLearner(model, classes, CoopConfig.defaults().withCutAfterEndOfText(false));
    assertEquals(16, cut.length());
    assertArrayEquals(whole.classFeatures(whole.initialContext()), cut.classFeatures(cut.initialContext()));
  }

  @Test
  void aNameTooLongForTheContextLosesItsLastTokensAndKeepsTheEndToken() {
    PromptLearner learner = new PromptLearner(model, List.of("T-shirt/top", "ankle boot"), CoopConfig.defaults());
    long[] words = model.tokenizer().words("T-shirt/top.");
    assertTrue(words.length > 11, "the name with its period is longer than the 11 tokens left: " + words.length);
    long[] row = learner.promptIds()[0];
    assertArrayEquals(Arrays.copyOf(words, 11), Arrays.copyOfRange(row, 4, 15));
    assertEquals(1, row[15], "</s> ends the prompt");
    assertEquals(15, learner.endOfText()[0]);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new PromptLearner(model, List.of("dog"), CoopConfig.defaults().withNCtx(15).withCtxInit("")));
    assertTrue(e.getMessage().contains("15 context vectors leave no room for class 'dog'"), e.getMessage());
  }

  @Test
  void classSpecificContextTrainsAndEveryClassContextMoves() {
    PromptModel pm = new CoopTrainer(model, config(true, 30, 0.5)).train(EXPECTED.rows("coop_image_feats"), LABELS,
        classes);
    assertTrue(pm.metrics().get("loss") < 0.8 * pm.metrics().get("loss_first_epoch"), pm.metrics().toString());
    assertArrayEquals(new long[] {4, 4, 64}, pm.contextShape());
    float[] start = new PromptLearner(model, classes, config(true, 1, 0)).initialContext();
    for (int k = 0; k < 4; k++) {
      assertTrue(!Arrays.equals(Arrays.copyOfRange(start, k * 256, (k + 1) * 256),
          Arrays.copyOfRange(pm.context(), k * 256, (k + 1) * 256)), "class " + k + " context moved");
    }
    assertEquals(model.logitScale(), pm.logitScale());
    assertEquals("siglip-tiny", pm.baseModelId());
  }

  @Test
  void aWarmStartContinuesFromThePreviousContext() {
    float[][] feats = EXPECTED.rows("coop_image_feats");
    CoopConfig cfg = config(false, 30, 0.5);
    PromptModel first = new CoopTrainer(model, cfg).train(feats, LABELS, classes);
    WarmStart warm = new WarmStart(true, 5);
    float[] from = warm.contextFrom(first, model.modelId(), classes, 4, 64, false);
    assertNotNull(from);
    float[][][] views = new float[4][][];
    for (int i = 0; i < 4; i++) views[i] = new float[][] {feats[i]};
    PromptModel next = new CoopTrainer(model, warm.config(cfg, true)).train(views, LABELS, classes, () -> false, from);
    // the warm run starts from the loss the first run ended with, and goes on down from there
    assertEquals(first.metrics().get("train_loss_after"), next.metrics().get("train_loss_before"), 1e-5);
    assertTrue(next.metrics().get("train_loss_after") < next.metrics().get("train_loss_before"), next.metrics().toString());
    assertEquals(5.0, next.metrics().get("steps"));
  }
}
