package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotTest {
  @Test
  void singleTemplateGivesNormalisedTextFeaturesOfTheFilledPrompt() throws Exception {
    try (ClipModel model = ClipModel.load(Fixtures.clipTinyModel())) {
      float[][] zs = ZeroShot.classFeatures(model, List.of("dog", "cat"), ZeroShot.DEFAULT_TEMPLATES);
      float[][] want = Expected.rows("text_embeds");
      float[][] expected = {Features.normalise(want[0]), Features.normalise(want[1])};
      assertTrue(Expected.relativeError(zs, expected) < 1e-4);
      PromptModel pm = ZeroShot.model(model, List.of("dog", "cat"), List.of("a photo of a {}.", "a {}."));
      assertEquals(0, pm.nCtx());
      assertEquals(0, pm.version());
      for (float[] row : pm.classFeatures()) assertEquals(1.0, Math.sqrt(Features.dot(row, row)), 1e-5);
    }
  }
}
