package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipArchTest {
  @TempDir Path dir;

  // parameter counts of openai/clip-vit-base-patch32, -base-patch16, -large-patch14, -large-patch14-336
  @Test
  void parameterCountsEqualTheOpenAiCheckpoints() {
    assertEquals(151_277_313L, ClipArch.VIT_B_32.parameterCount());
    assertEquals(149_620_737L, ClipArch.VIT_B_16.parameterCount());
    assertEquals(427_616_513L, ClipArch.VIT_L_14.parameterCount());
    assertEquals(427_944_193L, ClipArch.VIT_L_14_336.parameterCount());
  }

  @Test
  void shapesFollowThePublishedConfigs() {
    ClipConfig b16 = ClipArch.of("ViT-B/16").config();
    assertEquals(768, b16.vision().width());
    assertEquals(12, b16.vision().heads());
    assertEquals(197, b16.visionTokens());
    assertEquals(512, b16.text().width());
    assertEquals(8, b16.text().heads());
    assertEquals(77, b16.maxPositions());
    ClipConfig l336 = ClipArch.of("vit-l/14-336").config();
    assertEquals(577, l336.visionTokens());
    assertEquals(24, l336.vision().layers());
    assertEquals(768, l336.projectionDim());
    assertArrayEquals(new long[] {49408, 768}, ClipArch.VIT_L_14.tensorShapes().get("text_model.embeddings.token_embedding.weight"));
    assertArrayEquals(new long[] {1024, 3, 14, 14}, ClipArch.VIT_L_14.tensorShapes().get("vision_model.embeddings.patch_embedding.weight"));
  }

  @Test
  void writtenConfigReadsBackAsTheArch() throws Exception {
    for (ClipArch a : ClipArch.values()) {
      Path d = dir.resolve(a.name());
      java.nio.file.Files.createDirectories(d);
      new com.fasterxml.jackson.databind.ObjectMapper().writeValue(d.resolve("config.json").toFile(), RandomClip.config(a));
      assertEquals(a.config(), ClipConfig.read(d));
    }
  }

  @Test
  void unknownArchNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipArch.of("ViT-H/14"));
    assertTrue(e.getMessage().contains("ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14-336"), e.getMessage());
  }
}
