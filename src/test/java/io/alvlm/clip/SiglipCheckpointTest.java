package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.junit.jupiter.api.io.TempDir;

/** SigLIP directories in the other shapes a user may have: shards, half-precision weights, tokenizer and processor files. */
class SiglipCheckpointTest {
  private static final Reference EXPECTED = Reference.of(Fixtures.siglipTiny());
  private static final List<String> TEXTS = List.of("a photo of a dog.", "banded texture.");
  @TempDir Path dir;

  /** {@code dir/name} with siglip-tiny's {@code files} copied in. */
  private Path modelDir(String name, String... files) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    for (String f : files) Files.copy(Fixtures.siglipTinyModel().resolve(f), d.resolve(f));
    return d;
  }

  private static Map<String, SafeTensors.Floats> weights() throws Exception {
    return ShardWriter.readAll(Fixtures.siglipTinyModel().resolve("model.safetensors"));
  }

  /** Image features of the reference pixels, text features of {@link #TEXTS}, then scale and bias. */
  private static float[][] features(Path model) throws Exception {
    try (ClipModel m = ClipModel.load(model, Device.cpu())) {
      float[][] images = m.embedImages(EXPECTED.rowList("pixel_values"));
      float[][] texts = m.encodeTexts(TEXTS);
      float[][] all = java.util.Arrays.copyOf(images, images.length + texts.length + 1);
      System.arraycopy(texts, 0, all, images.length, texts.length);
      all[all.length - 1] = new float[] {m.logitScale(), m.logitBias()};
      return all;
    }
  }

  @Test
  void bfloat16ShardsRunAsTheirFloat32Values() throws Exception {
    Map<String, SafeTensors.Floats> exact = weights();
    Map<String, SafeTensors.Floats> rounded = new LinkedHashMap<>();
    for (var e : exact.entrySet()) {
      float[] v = e.getValue().data().clone();
      for (int i = 0; i < v.length; i++) v[i] = Half.bf16ToFloat(Half.toBf16(v[i]));
      rounded.put(e.getKey(), new SafeTensors.Floats(v, e.getValue().shape()));
    }
    Path half = modelDir("half", "config.json", "tokenizer.json", "preprocessor_config.json");
    assertEquals(2, ShardWriter.write(half, exact, 2, "BF16").size());
    Path fp32 = modelDir("fp32", "config.json", "tokenizer.json", "preprocessor_config.json");
    SafeTensors.write(fp32.resolve("model.safetensors"), rounded, Map.of("format", "pt"), "F32");
    float[][] want = features(fp32);
    float[][] got = features(half);
    for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], "row " + i);
    assertFalse(java.util.Arrays.equals(features(Fixtures.siglipTinyModel())[0], got[0]), "rounding is visible");
  }

  @Test
  void float16WeightsGiveNearlyTheSameFeatures() throws Exception {
    Path d = modelDir("f16", "config.json", "tokenizer.json");
    SafeTensors.write(d.resolve("model.safetensors"), weights(), Map.of("format", "pt"), "F16");
    try (ClipModel m = ClipModel.load(d, Device.cpu())) {
      assertTrue(Expected.relativeError(m.embedImages(EXPECTED.rowList("pixel_values")), EXPECTED.rows("image_embeds"))
          < 5e-3);
    }
  }

  @Test
  void withoutPreprocessorConfigSiglipDefaultsApply() throws Exception {
    Path d = modelDir("bare", "config.json", "tokenizer.json", "model.safetensors");
    try (ClipModel m = ClipModel.load(d, Device.cpu())) {
      PreprocessorConfig c = m.preprocessing();
      assertFalse(c.centreCrop());
      assertEquals(32, c.resizeHeight());
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, c.mean());
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, c.std());
      byte[] png = Files.readAllBytes(Fixtures.siglipTiny().resolve("images/img0.png"));
      try (ClipModel withFile = ClipModel.load(Fixtures.siglipTinyModel(), Device.cpu())) {
        assertArrayEquals(withFile.preprocessor(1_000_000).preprocess(png), m.preprocessor(1_000_000).preprocess(png));
      }
    }
  }

  @Test
  void aNaFlexImageProcessorIsRefusedNamingTheFile() throws Exception {
    Path d = modelDir("naflex", "config.json", "tokenizer.json", "model.safetensors");
    Files.writeString(d.resolve(PreprocessorConfig.FILE), "{\"image_processor_type\": \"Siglip2ImageProcessor\"}");
    Exception e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(d, Device.cpu()));
    assertTrue(e.getMessage().contains(PreprocessorConfig.FILE + ": image_processor_type \"Siglip2ImageProcessor\" is "
        + "not supported"), e.getMessage());
  }

  /** tokenizer.json without its padding section (as real SigLIP files come), the pad token named elsewhere. */
  private Path withoutPadding(String name) throws Exception {
    Path d = modelDir(name, "config.json", "model.safetensors", "preprocessor_config.json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode tok = (ObjectNode) json.readTree(Fixtures.siglipTinyModel().resolve("tokenizer.json").toFile());
    tok.putNull("padding");
    tok.putNull("truncation");
    json.writeValue(d.resolve("tokenizer.json").toFile(), tok);
    return d;
  }

  @Test
  void padTokenComesFromTokenizerConfigWhenTokenizerJsonHasNoPadding() throws Exception {
    Path d = withoutPadding("config-pad");
    Files.writeString(d.resolve("tokenizer_config.json"), "{\"pad_token\": \"<pad>\", \"model_max_length\": 16}");
    float[][] want = features(Fixtures.siglipTinyModel());
    float[][] got = features(d);
    for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i], "row " + i);
    try (ClipModel m = ClipModel.load(d, Device.cpu())) {
      assertArrayEquals(EXPECTED.ids("input_ids")[0], m.tokenizer().encode(List.of("a photo of a dog.")).ids()[0]);
    }
  }

  @Test
  void withoutAnyPadTokenSiglipsDefaultEndTokenPads() throws Exception {
    Path d = withoutPadding("default-pad");
    try (ClipModel m = ClipModel.load(d, Device.cpu())) {
      long[] row = m.tokenizer().encode(List.of("a photo of a dog.")).ids()[0];
      assertEquals(1, m.tokenizer().padId());
      assertEquals(1, row[15], "padded with </s> (id 1), transformers' SiglipTokenizer default");
    }
  }

  @Test
  void anImageSideNotAMultipleOfThePatchLosesTheRemainderAsTheConvolutionDoes() throws Exception {
    Path fixture = Fixtures.root().resolve("siglip-odd-size");
    Path d = Files.createDirectories(dir.resolve("odd"));
    Files.copy(fixture.resolve("model/config.json"), d.resolve("config.json"));
    Files.copy(fixture.resolve("model/model.safetensors"), d.resolve("model.safetensors"));
    Files.copy(Fixtures.siglipTinyModel().resolve("tokenizer.json"), d.resolve("tokenizer.json"));
    Reference odd = Reference.of(fixture);
    try (ClipModel m = ClipModel.load(d, Device.cpu())) {
      assertEquals(16, m.config().visionTokens());
      assertTrue(Expected.relativeError(m.embedImages(odd.rowList("pixel_values")), odd.rows("image_embeds")) <= 1e-4);
    }
  }

  @Test
  void aMissingHeadTensorIsNamed() throws Exception {
    Path d = modelDir("headless", "config.json", "tokenizer.json");
    Map<String, SafeTensors.Floats> w = weights();
    w.remove("vision_model.head.probe");
    SafeTensors.write(d.resolve("model.safetensors"), w, Map.of("format", "pt"), "F32");
    Exception e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(d, Device.cpu()));
    assertTrue(e.getMessage().contains("tensor 'vision_model.head.probe' is missing"), e.getMessage());
  }
}
