package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  private final ImagePreprocessor pre = new ImagePreprocessor(32, ImagePreprocessor.DEFAULT_MAX_PIXELS);

  static List<float[]> fixturePngs(ImagePreprocessor pre) throws Exception {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(pre.preprocess(Files.readAllBytes(Fixtures.clipTiny().resolve("images/img" + i + ".png"))));
    }
    return out;
  }

  @Test
  void pngPixelsMatchClipPreprocessingWithinOneLevel() throws Exception {
    float[][] actual = fixturePngs(pre).toArray(new float[0][]);
    // the issue allows 2e-2 (one 8-bit level); the PIL-style resampler is exact on these files
    assertTrue(Expected.maxAbsoluteError(actual, Expected.rows("png_pixel_values")) < 1e-6);
  }

  @Test
  void pngImageFeaturesMatchTransformers() throws Exception {
    try (ClipModel model = ClipModel.load(Fixtures.clipTinyModel())) {
      float[][] actual = model.embedImages(fixturePngs(model.preprocessor(ImagePreprocessor.DEFAULT_MAX_PIXELS)));
      assertTrue(Expected.relativeError(actual, Expected.rows("png_image_embeds")) < 2e-2);
    }
  }

  @Test
  void refusesImagesAbovePixelLimitNamingSizeAndSetting() throws Exception {
    byte[] png = Files.readAllBytes(Fixtures.clipTiny().resolve("images/img0.png"));
    ImagePreprocessor small = new ImagePreprocessor(32, 1000);
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> small.preprocess(png));
    assertTrue(e.getMessage().contains("PNG is 64×96, above image.max.pixels=1000"), e.getMessage());
  }

  @Test
  void refusesBombBeforeDecodingPixels() throws Exception {
    // a PNG header claiming 100000×100000 with no pixel data at all: only the header is read
    byte[] png = Files.readAllBytes(Fixtures.clipTiny().resolve("images/img0.png"));
    byte[] head = java.util.Arrays.copyOf(png, 33);
    java.nio.ByteBuffer.wrap(head, 16, 8).putInt(100_000).putInt(100_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(head, 12, 17);
    java.nio.ByteBuffer.wrap(head, 29, 4).putInt((int) crc.getValue());
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> pre.preprocess(head));
    assertTrue(e.getMessage().contains("100000×100000, above image.max.pixels="), e.getMessage());
  }

  @Test
  void refusesUnknownFormatsClearly() {
    byte[] pdf = "%PDF-1.7\n%âãÏÓ\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> pre.preprocess(pdf));
    assertTrue(e.getMessage().startsWith("not a PNG, JPEG, WebP, TIFF, BMP or GIF image (first bytes 255044462d312e37)"),
        e.getMessage());
  }

  @Test
  void acceptsBmpAndGifFromTheJdkReaders() throws Exception {
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, 0x336699);
    for (String format : new String[] {"bmp", "gif"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, format, out);
      float[] px = pre.preprocess(out.toByteArray());
      assertTrue(Math.abs(px[0] - (0x33 / 255f - ImagePreprocessor.MEAN[0]) / ImagePreprocessor.STD[0]) < 1e-5, format);
    }
  }

  @Test
  void decodesTheFirstFrameOfAnimatedWebpAndMultiPageTiffAndReportsThem() throws Exception {
    java.util.List<ImageFormat> reported = new ArrayList<>();
    ImageDecoder decoder = new ImageDecoder(1_000_000, ExifOrientation.Mode.APPLY, reported::add);
    for (String file : new String[] {"anim.webp", "anim.tiff"}) {
      RgbImage first = decoder.decode(Files.readAllBytes(Fixtures.root().resolve("multi-frame").resolve(file)));
      assertTrue(first.width() == 32 && first.height() == 24, file);
      assertTrue(first.at(5, 5, 0) == 0 && first.at(5, 5, 1) == 100 && first.at(5, 5, 2) == 200, file);
    }
    assertTrue(reported.equals(java.util.List.of(ImageFormat.WEBP, ImageFormat.TIFF)), reported.toString());
    decoder.decode(Files.readAllBytes(Fixtures.imageFormats().resolve("images/image.gif")));
    assertTrue(reported.size() == 2, "a one-frame GIF is not reported");
  }

  @Test
  void ignoresAnEmbeddedIccProfileAsPillowDoes() throws Exception {
    // baseline.jpg with a linear-RGB profile in APP2 (phones embed Display P3 the same way): same pixels
    byte[] jpeg = Files.readAllBytes(Fixtures.imageFormats().resolve("images/baseline.jpg"));
    byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    byte[] head = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int len = 2 + head.length + 2 + icc.length;
    out.write(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (len >> 8), (byte) len});
    out.write(head);
    out.write(new byte[] {1, 1}); // chunk 1 of 1
    out.write(icc);
    out.write(jpeg, 2, jpeg.length - 2);
    ImageDecoder decoder = new ImageDecoder(1_000_000);
    assertTrue(java.util.Arrays.equals(decoder.decode(jpeg).rgb(), decoder.decode(out.toByteArray()).rgb()));
  }

  @Test
  void refusesTruncatedPng() throws Exception {
    byte[] png = Files.readAllBytes(Fixtures.clipTiny().resolve("images/img0.png"));
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    assertThrows(ImageRejectedException.class, () -> pre.preprocess(cut));
  }

  @Test
  void decodesJpeg() throws Exception {
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", jpg);
    float[] px = pre.preprocess(jpg.toByteArray());
    assertTrue(px.length == 3 * 32 * 32);
    // black everywhere: (0 - mean) / std in every red value
    assertTrue(Math.abs(px[0] + ImagePreprocessor.MEAN[0] / ImagePreprocessor.STD[0]) < 1e-2);
  }

  @Test
  void greyPngKeepsItsLevels() throws Exception {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, 100);
    for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, 100);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    float[] px = pre.preprocess(png.toByteArray());
    assertTrue(Math.abs(px[0] - (100 / 255f - ImagePreprocessor.MEAN[0]) / ImagePreprocessor.STD[0]) < 1e-5);
  }
}
