package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import io.alvlm.data.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One picture in the formats and modes real streams carry, preprocessed here and by Pillow with
 * Hugging Face's {@code CLIPImageProcessor} (fixture {@code image-formats}): the {@code [3, 224, 224]}
 * pixel tensors agree within 1e-4, i.e. every 8-bit level is the same. References without EXIF
 * orientation were made from a bare {@code Image.open}, so those files run with {@code ignore}.
 */
class ImageFormatParityTest {
  private static final Path DIR = Fixtures.imageFormats();

  private static float[] ours(String file, ExifOrientation.Mode mode) throws Exception {
    ImageDecoder decoder = new ImageDecoder(ImagePreprocessor.DEFAULT_MAX_PIXELS, mode, f -> {});
    return new ImagePreprocessor(224, decoder).preprocess(Files.readAllBytes(DIR.resolve("images").resolve(file)));
  }

  static float[] reference(Path safetensors, String key) throws IOException {
    return SafeTensors.open(safetensors).floats(key).data();
  }

  static float maxAbsoluteError(float[] actual, float[] expected) {
    float max = 0;
    for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
    return max;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rgb.png", "gray.png", "gray_alpha.png", "rgba.png", "palette_transparent.png", "baseline.jpg",
      "progressive.jpg", "gray.jpg", "cmyk.jpg", "lossless.webp", "plain.tiff", "lzw.tiff", "image.bmp", "image.gif"})
  void matchesPillowWithinOneTenThousandth(String file) throws Exception {
    float err = maxAbsoluteError(ours(file, ExifOrientation.Mode.IGNORE), reference(DIR.resolve("expected.safetensors"), file));
    assertTrue(err < 1e-4, file + ": max |Δ| " + err);
  }

  @Test
  void lossyWebpMatchesLibwebpWithinTheMeasuredDecoderDifference() throws Exception {
    // TwelveMonkeys' VP8 decoder upsamples chroma differently from libwebp: measured max |Δ| 0.242
    // (16 levels, at colour edges) and mean |Δ| 0.0254 (1.7 levels); a wrong colour path is far above both
    float[] actual = ours("lossy.webp", ExifOrientation.Mode.IGNORE);
    float[] expected = reference(DIR.resolve("expected.safetensors"), "lossy.webp");
    double sum = 0;
    for (int i = 0; i < expected.length; i++) sum += Math.abs(actual[i] - expected[i]);
    float max = maxAbsoluteError(actual, expected);
    assertTrue(max < 0.3, "max |Δ| " + max);
    assertTrue(sum / expected.length < 0.03, "mean |Δ| " + sum / expected.length);
  }

  @Test
  void ycckJpegMatchesPillowWithinOneTenThousandth() throws Exception {
    ImageDecoder decoder = new ImageDecoder(ImagePreprocessor.DEFAULT_MAX_PIXELS, ExifOrientation.Mode.IGNORE, f -> {});
    float[] actual = new ImagePreprocessor(224, decoder).preprocess(Files.readAllBytes(Fixtures.ycckJpeg().resolve("ycck.jpg")));
    float err = maxAbsoluteError(actual, reference(Fixtures.ycckJpeg().resolve("expected.safetensors"), "ycck.jpg"));
    assertTrue(err < 1e-4, "max |Δ| " + err);
  }

  @Test
  void sixteenBitGreyEqualsItsEightBitTwin() throws Exception {
    // Pillow saturates 16-bit grey to white; the reference under gray16.png is gray.png's tensor
    float[] sixteen = ours("gray16.png", ExifOrientation.Mode.IGNORE);
    assertTrue(maxAbsoluteError(sixteen, reference(DIR.resolve("expected.safetensors"), "gray16.png")) < 1e-4);
    assertArrayEquals(ours("gray.png", ExifOrientation.Mode.IGNORE), sixteen);
  }

  @Test
  void exifOrientationAppliedMatchesExifTranspose() throws Exception {
    float err = maxAbsoluteError(ours("exif_rotate90.jpg", ExifOrientation.Mode.APPLY),
        reference(DIR.resolve("expected.safetensors"), "exif_rotate90.jpg:apply"));
    assertTrue(err < 1e-4, "max |Δ| " + err);
  }

  @Test
  void exifOrientationIgnoredMatchesBareOpen() throws Exception {
    float err = maxAbsoluteError(ours("exif_rotate90.jpg", ExifOrientation.Mode.IGNORE),
        reference(DIR.resolve("expected.safetensors"), "exif_rotate90.jpg:ignore"));
    assertTrue(err < 1e-4, "max |Δ| " + err);
  }
}
