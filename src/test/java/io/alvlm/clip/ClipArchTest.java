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

  // keras-hub's siglip_base_patch16_224 preset lists 203,156,230: these tensors plus its 64 + 196 position-id buffers
  @Test
  void siglipBaseParameterCountEqualsThePublishedOne() {
    assertEquals(203_156_230L - 64 - 196, ClipArch.SIGLIP_B_16.parameterCount());
  }

  @Test
  void siglipShapesFollowThePublishedConfigs() {
    ClipConfig b16 = ClipArch.of("siglip-b/16").config();
    assertEquals(ModelFamily.SIGLIP, b16.family());
    assertEquals(196, b16.visionTokens(), "14×14 patches, no class token");
    assertEquals(768, b16.projectionDim());
    assertEquals(64, b16.maxPositions());
    assertArrayEquals(new long[] {32_000, 768}, ClipArch.SIGLIP_B_16.tensorShapes().get("text_model.embeddings.token_embedding.weight"));
    ClipConfig so400m = ClipArch.of("SigLIP2-So400m/14-384").config();
    assertEquals(27, so400m.patchGrid(), "384 px in patches of 14: 27, the last 6 rows and columns unused");
    assertEquals(729, so400m.visionTokens());
    assertEquals(4304, so400m.vision().mlpWidth());
    assertEquals(27, so400m.text().layers());
    assertEquals(16, so400m.vision().heads());
    assertArrayEquals(new long[] {256_000, 1152},
        ClipArch.SIGLIP2_SO400M_14_384.tensorShapes().get("text_model.embeddings.token_embedding.weight"));
    assertArrayEquals(new long[] {3 * 1152, 1152},
        ClipArch.SIGLIP2_SO400M_14_384.tensorShapes().get("vision_model.head.attention.in_proj_weight"));
  }

  @Test
  void siglipTensorNamesAreThoseOfTransformersSiglipModel() throws Exception {
    java.util.function.Function<java.util.Collection<String>, java.util.Set<String>> layerless = names -> names.stream()
        .map(n -> n.replaceAll("\\.layers\\.\\d+\\.", ".layers.N.")).collect(java.util.stream.Collectors.toSet());
    java.util.Set<String> tiny = layerless.apply(io.alvlm.data.SafeTensors.open(
        io.alvlm.data.Fixtures.siglipTinyModel().resolve("model.safetensors")).names());
    for (ClipArch a : new ClipArch[] {ClipArch.SIGLIP_B_16, ClipArch.SIGLIP2_SO400M_14_384}) {
      assertEquals(tiny, layerless.apply(a.tensorShapes().keySet()), a.label());
    }
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
