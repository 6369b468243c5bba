package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.Fixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** siglip-tiny against Hugging Face transformers' {@code SiglipModel}: the parity bounds. */
class SiglipModelTest {
  private static final Reference EXPECTED = Reference.of(Fixtures.siglipTiny());
  private static ClipModel model;
  private static List<String> texts;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.siglipTinyModel());
    JsonNode json = new ObjectMapper().readTree(Fixtures.siglipTiny().resolve("expected.json").toFile());
    texts = new ArrayList<>();
    json.get("texts").forEach(t -> texts.add(t.asText()));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void configPicksTheSiglipFamily() {
    assertEquals(ModelFamily.SIGLIP, model.family());
    assertEquals(64, model.projectionDim());
    assertEquals(16, model.tokenizer().context());
    assertEquals(16, model.config().visionTokens(), "4×4 patches and no class token");
  }

  @Test
  void imageFeaturesOfPixelValuesMatchTransformers() {
    float[][] actual = model.embedImages(EXPECTED.rowList("pixel_values"));
    assertTrue(Expected.relativeError(actual, EXPECTED.rows("image_embeds")) <= 1e-4);
  }

  @Test
  void textFeaturesOfTokenIdsMatchTransformers() {
    long[][] ids = EXPECTED.ids("input_ids");
    float[][] actual = model.encodeTokens(ids, model.tokenizer().encode(texts).endOfText());
    assertTrue(Expected.relativeError(actual, EXPECTED.rows("text_embeds")) <= 1e-4);
  }

  @Test
  void textFeaturesOfTextsMatchTransformersWithTheCutAskedFor() {
    // the cut is on by default; SigLIP pools the last position, so its text must still run at full length
    model.setCutAfterEndOfText(true);
    float[][] actual = model.encodeTexts(texts);
    assertTrue(Expected.relativeError(actual, EXPECTED.rows("text_embeds")) <= 1e-4);
  }

  @Test
  void tokenizerPadsToTheContextLikeTransformers() {
    ClipTokenizer.Tokens t = model.tokenizer().encode(texts);
    long[][] expected = EXPECTED.ids("input_ids");
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], t.ids()[i], "text " + i);
    }
    assertArrayEquals(new long[0], model.tokenizer().prefix(), "no start token");
    assertArrayEquals(new long[] {1}, model.tokenizer().suffix(), "</s> ends the text");
  }

  @Test
  void tooLongTextsAreTruncatedToTheContextKeepingTheEndToken() {
    String longText = String.join(" ", java.util.Collections.nCopies(40, "a photo of a dog"));
    long[] row = model.tokenizer().encode(List.of(longText)).ids()[0];
    long[] words = model.tokenizer().words(longText);
    assertEquals(16, row.length);
    assertArrayEquals(Arrays.copyOf(words, 15), Arrays.copyOf(row, 15));
    assertEquals(1, row[15]);
  }

  @Test
  void imageFeaturesOfPngsThroughSiglipPreprocessingMatchTransformers() throws Exception {
    ImagePreprocessor pre = model.preprocessor(ImagePreprocessor.DEFAULT_MAX_PIXELS);
    assertEquals(false, pre.config().centreCrop());
    List<float[]> pixels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pixels.add(pre.preprocess(Files.readAllBytes(Fixtures.siglipTiny().resolve("images/img" + i + ".png"))));
    }
    assertTrue(Expected.maxAbsoluteError(pixels.toArray(new float[0][]), EXPECTED.rows("png_pixel_values")) < 0.05);
    float[][] actual = model.embedImages(pixels);
    assertTrue(Expected.relativeError(actual, EXPECTED.rows("png_image_embeds")) <= 2e-2);
  }

  @Test
  void logitsAreScaledCosinePlusBias() {
    float[][] img = model.embedImages(EXPECTED.rowList("pixel_values"));
    float[][] txt = model.encodeTexts(texts);
    float[][] logits = new float[img.length][txt.length];
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < txt.length; j++) {
        logits[i][j] = model.logitScale() * ClipModelTest.cosine(img[i], txt[j]) + model.logitBias();
      }
    }
    assertEquals(10.0, model.logitScale(), 1e-5);
    assertEquals(-10.0, model.logitBias(), 1e-6);
    assertTrue(Expected.relativeError(logits, EXPECTED.rows("logits")) <= 1e-4);
  }

  @Test
  void clipHasNoLogitBias() throws Exception {
    try (ClipModel clip = ClipModel.load(Fixtures.clipTinyModel())) {
      assertEquals(0f, clip.logitBias());
      assertEquals(ModelFamily.CLIP, clip.family());
    }
  }

  @Test
  void anUnsupportedModelTypeIsRefusedAtLoadWithTheSupportedList() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("naflex");
    try {
      String cfg = Files.readString(Fixtures.siglipTinyModel().resolve("config.json"))
          .replace("\"model_type\": \"siglip\"", "\"model_type\": \"siglip2\"");
      Files.writeString(dir.resolve("config.json"), cfg);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(dir));
      assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": model_type \"siglip2\" is not supported"),
          e.getMessage());
      assertTrue(e.getMessage().contains("supported: clip") && e.getMessage().contains("siglip (SigLIP, and SigLIP 2 "
          + "at a fixed resolution)") && e.getMessage().contains("EVA-CLIP"), e.getMessage());
    } finally {
      Files.delete(dir.resolve("config.json"));
      Files.delete(dir);
    }
  }
}
