package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CoopFixtureTest {
  static ClipModel model;
  static List<String> classes;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.clipTinyModel());
    classes = new ArrayList<>();
    new ObjectMapper().readTree(Fixtures.clipTiny().resolve("expected.json").toFile()).get("coop_classes")
        .forEach(c -> classes.add(c.asText()));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void promptsAreStartContextNamePeriodEnd() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    long[][] expected = Expected.ids("coop_prompt_ids");
    for (int k = 0; k < expected.length; k++) {
      int eot = Expected.firstEndOfText(expected[k]);
      assertEquals(eot, learner.endOfText()[k]);
      long[] want = Arrays.copyOf(expected[k], eot + 1);
      long[] got = Arrays.copyOf(learner.promptIds()[k], eot + 1);
      // positions 1..4 hold the context; their ids never reach the text tower
      for (int p = 1; p <= 4; p++) want[p] = got[p];
      assertArrayEquals(want, got);
    }
  }

  @Test
  void contextInitialisedFromWordsIsTheirTokenEmbeddings() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    assertEquals(4, learner.nCtx());
    float[][] ctx = {learner.initialContext()};
    float[][] want = {Features.flatten(Expected.rows("coop_ctx"))};
    assertEquals(0.0, Expected.maxAbsoluteError(ctx, want));
  }

  @Test
  void classFeaturesWithInitialContextMatchTransformers() {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    float[][] actual = learner.classFeatures(learner.initialContext());
    assertTrue(Expected.relativeError(actual, Expected.rows("coop_text_embeds")) < 1e-4);
  }

  @Test
  void lossAndContextGradientMatchTransformers() throws Exception {
    PromptLearner learner = new PromptLearner(model, classes, CoopConfig.defaults());
    CoopTrainer trainer = new CoopTrainer(model, CoopConfig.defaults());
    CoopTrainer.Step step = trainer.step(learner, learner.initialContext(), Expected.rows("coop_image_feats"),
        new int[] {0, 1, 2, 3});
    float loss = Expected.file().floats("coop_loss").data()[0];
    assertEquals(loss, step.loss(), Math.abs(loss) * 1e-4);
    assertTrue(Expected.relativeError(new float[][] {step.gradient()},
        new float[][] {Features.flatten(Expected.rows("coop_grad"))}) < 1e-4);
  }

  @Test
  void cuttingAfterEndOfTextKeepsLossAndGradient() {
    CoopConfig full = CoopConfig.defaults().withCutAfterEndOfText(false);
    PromptLearner cut = new PromptLearner(model, classes, CoopConfig.defaults());
    PromptLearner whole = new PromptLearner(model, classes, full);
    float[][] feats = Expected.rows("coop_image_feats");
    int[] labels = {0, 1, 2, 3};
    CoopTrainer.Step a = new CoopTrainer(model, CoopConfig.defaults()).step(cut, cut.initialContext(), feats, labels);
    CoopTrainer.Step b = new CoopTrainer(model, full).step(whole, whole.initialContext(), feats, labels);
    assertEquals(b.loss(), a.loss(), 1e-5);
    assertTrue(Expected.relativeError(new float[][] {a.gradient()}, new float[][] {b.gradient()}) < 1e-4);
  }
}
