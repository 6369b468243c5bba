package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.alvlm.data.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
  private static final Path IMAGES = Fixtures.imageFormats().resolve("images");

  /** A big-endian EXIF TIFF block whose first IFD holds a Make tag before the orientation tag. */
  private static byte[] exif(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 24 + 4);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8).putShort((short) 2);
    b.putShort((short) 271).putShort((short) 2).putInt(4).put("Acme".getBytes(StandardCharsets.US_ASCII)); // Make
    b.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    return b.putInt(0).array();
  }

  @Test
  void readsTheFixturesTag() throws Exception {
    try (Stream<Path> files = Files.list(IMAGES)) {
      for (Path p : files.toList()) {
        byte[] b = Files.readAllBytes(p);
        int want = p.getFileName().toString().equals("exif_rotate90.jpg") ? 6 : 1;
        assertEquals(want, ExifOrientation.of(b, ImageFormat.of(b)), p.getFileName().toString());
      }
    }
  }

  @Test
  void readsAPngEXifChunk() throws Exception {
    byte[] png = Files.readAllBytes(IMAGES.resolve("rgb.png"));
    byte[] tag = exif(8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33); // signature and IHDR
    out.writeBytes(ByteBuffer.allocate(4).putInt(tag.length).array());
    out.writeBytes("eXIf".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(tag);
    out.writeBytes(new byte[4]); // the CRC is not checked by the tag reader
    out.write(png, 33, png.length - 33);
    assertEquals(8, ExifOrientation.of(out.toByteArray(), ImageFormat.PNG));
  }

  @Test
  void readsAWebpExifChunkWithOrWithoutTheJpegPrefix() throws Exception {
    byte[] webp = Files.readAllBytes(IMAGES.resolve("lossless.webp"));
    for (String prefix : new String[] {"", "Exif\0\0"}) {
      byte[] tag = (prefix + new String(exif(3), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(webp, 0, webp.length);
      out.writeBytes("EXIF".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(tag.length).array());
      out.writeBytes(tag);
      assertEquals(3, ExifOrientation.of(out.toByteArray(), ImageFormat.WEBP), "prefix '" + prefix.trim() + "'");
    }
  }

  @Test
  void readsATiffsFirstIfd() {
    assertEquals(5, ExifOrientation.of(exif(5), ImageFormat.TIFF));
  }

  @Test
  void malformedOrOutOfRangeTagsReadAsUpright() throws Exception {
    byte[] jpeg = Files.readAllBytes(IMAGES.resolve("exif_rotate90.jpg"));
    assertEquals(1, ExifOrientation.of(Arrays.copyOf(jpeg, 30), ImageFormat.JPEG));
    assertEquals(1, ExifOrientation.of(exif(9), ImageFormat.TIFF));
    byte[] badOffset = exif(6);
    badOffset[7] = (byte) 200; // first IFD beyond the end
    assertEquals(1, ExifOrientation.of(badOffset, ImageFormat.TIFF));
  }

  /** 3×2 image "abc/def", one grey level per letter, turned as PIL's Transpose operations turn it. */
  @ParameterizedTest
  @CsvSource({"1, 3, abcdef", "2, 3, cbafed", "3, 3, fedcba", "4, 3, defabc", "5, 2, adbecf", "6, 2, daebfc",
      "7, 2, fcebda", "8, 2, cfbead"})
  void turnsAsExifTransposeDoes(int orientation, int width, String pixels) {
    String abc = "abcdef";
    byte[] rgb = new byte[18];
    for (int i = 0; i < 6; i++) Arrays.fill(rgb, i * 3, i * 3 + 3, (byte) abc.charAt(i));
    RgbImage out = ExifOrientation.upright(new RgbImage(3, 2, rgb), orientation);
    assertEquals(width, out.width());
    StringBuilder got = new StringBuilder();
    for (int i = 0; i < 6; i++) got.append((char) out.rgb()[i * 3]);
    assertEquals(pixels, got.toString());
  }

  @Test
  void settingIsApplyOrIgnore() {
    assertEquals(ExifOrientation.Mode.APPLY, ExifOrientation.Mode.parse(" Apply"));
    assertEquals(ExifOrientation.Mode.IGNORE, ExifOrientation.Mode.parse("ignore"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExifOrientation.Mode.parse("rotate"));
    assertEquals("image.exif.orientation is apply or ignore, got 'rotate'", e.getMessage());
  }
}
