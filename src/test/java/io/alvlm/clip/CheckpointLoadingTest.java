package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Half;
import io.alvlm.data.SafeTensors;
import io.alvlm.data.ShardWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

  private static final List<String> TEXTS = List.of("a photo of a dog.", "a diagram", "two cats on a sofa");

  /** {@code dir/name} with the tiny model's config and tokenizer, and no weights yet. */
  private Path modelDir(String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Path src = Fixtures.clipTinyModel();
    Files.copy(src.resolve("config.json"), d.resolve("config.json"));
    Files.copy(src.resolve("tokenizer.json"), d.resolve("tokenizer.json"));
    return d;
  }

  private static Map<String, SafeTensors.Floats> tinyWeights() throws Exception {
    return ShardWriter.readAll(Fixtures.clipTinyModel().resolve("model.safetensors"));
  }

  /** Image features of the reference pixels followed by text features of {@link #TEXTS}. */
  private static float[][] features(Path model) throws Exception {
    try (ClipModel m = ClipModel.load(model, Device.cpu())) {
      float[][] images = m.embedImages(Expected.rowList("pixel_values"));
      float[][] texts = m.encodeTexts(TEXTS);
      float[][] all = java.util.Arrays.copyOf(images, images.length + texts.length + 1);
      System.arraycopy(texts, 0, all, images.length, texts.length);
      all[all.length - 1] = new float[] {m.logitScale()};
      return all;
    }
  }

  @Test
  void shardedCheckpointGivesBitEqualFeatures() throws Exception {
    Path sharded = modelDir("sharded");
    List<String> files = ShardWriter.write(sharded, tinyWeights(), 3, "F32");
    assertEquals(3, files.size());
    float[][] want = features(Fixtures.clipTinyModel());
    float[][] got = features(sharded);
    for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], "row " + i);
  }

  @Test
  void missingShardIsNamedAtLoad() throws Exception {
    Path sharded = modelDir("sharded");
    List<String> files = ShardWriter.write(sharded, tinyWeights(), 2, "F32");
    Files.delete(sharded.resolve(files.get(1)));
    Exception e = assertThrows(java.io.IOException.class, () -> ClipModel.load(sharded, Device.cpu()));
    assertTrue(e.getMessage().contains("shard '" + files.get(1) + "'"), e.getMessage());
  }

  @Test
  void tensorMissingFromEveryShardIsNamedAtLoad() throws Exception {
    Path sharded = modelDir("sharded");
    Map<String, SafeTensors.Floats> w = tinyWeights();
    w.remove("text_model.final_layer_norm.bias");
    ShardWriter.write(sharded, w, 2, "F32");
    Exception e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(sharded, Device.cpu()));
    assertTrue(e.getMessage().contains("tensor 'text_model.final_layer_norm.bias' is missing from every shard"),
        e.getMessage());
  }

  /**
   * Weights stored as F16 or BF16 (one file or shards) run as the float32 model whose weights are
   * the same values: bit for bit the features of a float32 checkpoint of the rounded weights.
   */
  @ParameterizedTest
  @CsvSource({"F16, 1", "BF16, 1", "BF16, 2"})
  void halfPrecisionWeightsRunAsTheirFloat32Values(String dtype, int shards) throws Exception {
    Map<String, SafeTensors.Floats> exact = tinyWeights();
    Map<String, SafeTensors.Floats> rounded = new LinkedHashMap<>();
    int changed = 0;
    for (var e : exact.entrySet()) {
      float[] v = e.getValue().data().clone();
      for (int i = 0; i < v.length; i++) {
        float r = dtype.equals("F16") ? Half.toFloat(Half.fromFloat(v[i])) : Half.bf16ToFloat(Half.toBf16(v[i]));
        if (r != v[i]) changed++;
        v[i] = r;
      }
      rounded.put(e.getKey(), new SafeTensors.Floats(v, e.getValue().shape()));
    }
    assertTrue(changed > 1000, "rounding must change the weights, changed " + changed);
    Path half = modelDir("half");
    if (shards == 1) {
      SafeTensors.write(half.resolve("model.safetensors"), exact, Map.of("format", "pt"), dtype);
    } else {
      ShardWriter.write(half, exact, shards, dtype);
    }
    Path fp32 = modelDir("fp32");
    SafeTensors.write(fp32.resolve("model.safetensors"), rounded, Map.of("format", "pt"), "F32");
    float[][] want = features(fp32);
    float[][] got = features(half);
    for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], dtype + " row " + i);
    // and the rounding is visible in the output, so equality above is not vacuous
    float[][] original = features(Fixtures.clipTinyModel());
    assertFalse(java.util.Arrays.equals(original[0], got[0]));
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
