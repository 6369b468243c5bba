package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.alvlm.data.Fixtures;
import io.alvlm.data.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLoadingTest {
  @TempDir Path dir;

  /** A copy of the tiny model with its weights rewritten as {@code dtype}, minus {@code drop}. */
  private Path copy(String dtype, String drop) throws Exception {
    Path src = Fixtures.clipTinyModel();
    Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
    Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"));
    Map<String, SafeTensors.Floats> all = new LinkedHashMap<>();
    for (String n : st.names()) {
      if (!n.equals(drop)) all.put(n, st.floats(n));
    }
    SafeTensors.write(dir.resolve("model.safetensors"), all, Map.of("format", "pt"), dtype);
    return dir;
  }

  @Test
  void bfloat16CheckpointGivesNearlyTheSameFeatures() throws Exception {
    try (ClipModel model = ClipModel.load(copy("BF16", null), Device.cpu())) {
      float[][] actual = model.embedImages(Expected.rowList("pixel_values"));
      assertTrue(Expected.relativeError(actual, Expected.rows("image_embeds")) < 5e-2);
    }
  }

  @Test
  void float16CheckpointGivesNearlyTheSameFeatures() throws Exception {
    try (ClipModel model = ClipModel.load(copy("F16", null), Device.cpu())) {
      float[][] actual = model.embedImages(Expected.rowList("pixel_values"));
      assertTrue(Expected.relativeError(actual, Expected.rows("image_embeds")) < 5e-3);
    }
  }

  @Test
  void missingTensorIsNamed() throws Exception {
    Path d = copy("F32", "vision_model.post_layernorm.weight");
    Exception e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(d, Device.cpu()));
    assertTrue(e.getMessage().contains("tensor 'vision_model.post_layernorm.weight' is missing"), e.getMessage());
  }

  @Test
  void directoryWithoutConfigIsExplained() {
    Exception e = assertThrows(java.io.IOException.class, () -> ClipModel.load(dir, Device.cpu()));
    assertTrue(e.getMessage().contains("has no config.json"), e.getMessage());
  }
}
