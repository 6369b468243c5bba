package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelFamilyTest {
  @Test
  void modelTypePicksTheFamilyAndAnOlderConfigWithoutOneIsClip() {
    assertEquals(ModelFamily.CLIP, ModelFamily.of("clip"));
    assertEquals(ModelFamily.SIGLIP, ModelFamily.of(" SigLIP "));
    assertEquals(ModelFamily.CLIP, ModelFamily.of(""));
    assertTrue(ModelFamily.CLIP.causalText());
    assertFalse(ModelFamily.SIGLIP.causalText());
  }

  @Test
  void everyOtherModelTypeIsRefusedWithTheList() {
    for (String t : new String[] {"siglip2", "eva-clip", "clip_vision_model"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFamily.of(t));
      assertTrue(e.getMessage().startsWith("model_type \"" + t + "\" is not supported (supported: clip"), e.getMessage());
      assertTrue(e.getMessage().contains("not supported: siglip2 (SigLIP 2 NaFlex, variable resolution), EVA-CLIP"),
          e.getMessage());
    }
  }
}
