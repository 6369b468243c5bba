package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.alvlm.data.Fixtures;
import io.alvlm.data.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessorConfigTest {
  private static final Path REF = Fixtures.root().resolve("preprocessor-configs");

  @TempDir Path dir;

  private PreprocessorConfig read(String json) throws Exception {
    Files.writeString(dir.resolve(PreprocessorConfig.FILE), json);
    return PreprocessorConfig.read(dir, 32);
  }

  private static float[][] pngs(PreprocessorConfig config) throws Exception {
    List<float[]> px = ImagePreprocessorTest.fixturePngs(
        new ImagePreprocessor(config, new ImageDecoder(ImagePreprocessor.DEFAULT_MAX_PIXELS)));
    return px.toArray(new float[0][]);
  }

  /** Pixel tensors equal those transformers' CLIPImageProcessor made of the same PNGs under each config. */
  @ParameterizedTest
  @ValueSource(strings = {"bilinear", "square", "feature-extractor", "padded-crop", "levels", "unnormalised"})
  void pixelsMatchTransformersForEachConfig(String variant) throws Exception {
    Files.copy(REF.resolve("configs/" + variant + ".json"), dir.resolve(PreprocessorConfig.FILE));
    float[][] actual = pngs(PreprocessorConfig.read(dir, 32));
    SafeTensors.Floats want = SafeTensors.open(REF.resolve("expected.safetensors")).floats(variant, 3, 3, 32, 32);
    // 1e-6 of the values' range: about ±2.5 when normalised, 0–127.5 for "unnormalised"
    double scale = variant.equals("unnormalised") ? 128 : 2.5;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < actual[i].length; j++) {
        float w = want.data()[i * actual[i].length + j];
        assertEquals(w, actual[i][j], 1e-6 * scale, variant + " image " + i + " value " + j);
      }
    }
  }

  @Test
  void absentFileIsClipsPreprocessing() throws Exception {
    PreprocessorConfig c = PreprocessorConfig.read(dir, 32);
    float[][] actual = pngs(c);
    assertTrue(Expected.maxAbsoluteError(actual, Expected.rows("png_pixel_values")) < 1e-6);
    assertEquals(Resample.BICUBIC, c.resample());
  }

  /** Another mean/std is the same affine map of CLIP's output: x' = (x·std + mean − mean') / std'. */
  @Test
  void meanAndStdAreAppliedPerChannel() throws Exception {
    float[] mean = {0.1f, 0.2f, 0.7f};
    float[] std = {0.9f, 0.3f, 0.5f};
    float[][] custom = pngs(read("{\"image_mean\": [0.1, 0.2, 0.7], \"image_std\": [0.9, 0.3, 0.5]}"));
    float[][] clip = pngs(PreprocessorConfig.clip(32));
    int plane = 32 * 32;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < clip[i].length; j++) {
        int c = j / plane;
        double level = clip[i][j] * ImagePreprocessor.STD[c] + ImagePreprocessor.MEAN[c];
        assertEquals((level - mean[c]) / std[c], custom[i][j], 1e-5, "image " + i + " value " + j);
      }
    }
  }

  @Test
  void modelLoadsItsPreprocessorConfig() throws Exception {
    Path src = Fixtures.clipTinyModel();
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.createSymbolicLink(dir.resolve(f), src.resolve(f));
    }
    Files.copy(REF.resolve("configs/bilinear.json"), dir.resolve(PreprocessorConfig.FILE));
    try (ClipModel m = ClipModel.load(dir, Device.cpu())) {
      assertEquals(Resample.BILINEAR, m.preprocessing().resample());
      float[] viaModel = m.preprocessor(ImagePreprocessor.DEFAULT_MAX_PIXELS)
          .preprocess(Files.readAllBytes(Fixtures.clipTiny().resolve("images/img0.png")));
      assertArrayEquals(pngs(PreprocessorConfig.read(dir, 32))[0], viaModel);
    }
  }

  @Test
  void intSizeWithDefaultToSquareResizesToASquare() throws Exception {
    PreprocessorConfig c = read("{\"size\": 32, \"default_to_square\": true, \"do_center_crop\": false}");
    assertEquals(0, c.shortestEdge());
    assertEquals(32, c.resizeHeight());
    assertEquals(32, c.resizeWidth());
  }

  /** Each unsupported value fails at load with a message naming the key and the value. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"image_processor_type\": \"Siglip2ImageProcessor\"}|image_processor_type \"Siglip2ImageProcessor\"",
      "{\"feature_extractor_type\": \"ViTFeatureExtractor\"}|feature_extractor_type \"ViTFeatureExtractor\"",
      "{\"resample\": 1}|resample 1 is not supported",
      "{\"resample\": 0}|resample 0 is not supported",
      "{\"size\": {\"longest_edge\": 32}}|size {\"longest_edge\":32} is not supported",
      "{\"crop_size\": {\"height\": 32, \"width\": 24}}|crop_size {\"height\":32,\"width\":24} is not supported",
      "{\"crop_size\": 24}|crop_size 24 does not match the vision tower's image_size 32",
      "{\"do_center_crop\": false}|do_center_crop false with size {\"shortest_edge\": 32} is not supported",
      "{\"do_resize\": false, \"do_center_crop\": false}|do_center_crop false with do_resize false",
      "{\"size\": {\"height\": 32, \"width\": 40}, \"do_center_crop\": false}|size {\"height\": 32, \"width\": 40} with do_center_crop false",
      "{\"size\": {\"height\": 40, \"width\": 40}, \"do_center_crop\": false}|size 40 does not match the vision tower's image_size 32",
      "{\"image_mean\": [0.5, 0.5]}|image_mean [0.5,0.5] is not supported",
      "{\"image_std\": [0.5, 0, 0.5]}|image_std [0.5,0,0.5] is not supported",
      "{\"rescale_factor\": \"x\"}|rescale_factor \"x\" is not supported",
      "{\"do_pad\": true}|do_pad true is not supported",
      "{\"crop_pct\": 0.9}|crop_pct 0.9 is not supported",
      "{\"do_resize\": \"yes\"}|do_resize \"yes\" is not supported",
  })
  void unsupportedOptionIsNamedWithItsValue(String json, String message) throws Exception {
    Files.writeString(dir.resolve(PreprocessorConfig.FILE), json);
    Exception e = assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.read(dir, 32));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(PreprocessorConfig.FILE), e.getMessage());
  }

  @Test
  void modelWithUnsupportedPreprocessingFailsAtLoad() throws Exception {
    Path src = Fixtures.clipTinyModel();
    for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.createSymbolicLink(dir.resolve(f), src.resolve(f));
    }
    Files.writeString(dir.resolve(PreprocessorConfig.FILE), "{\"resample\": 4}");
    Exception e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(dir, Device.cpu()));
    assertTrue(e.getMessage().contains("resample 4 is not supported"), e.getMessage());
  }
}
