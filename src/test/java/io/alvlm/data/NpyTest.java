package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void floatsRoundTripWithShape() throws IOException {
    Path f = dir.resolve("a.npy");
    float[] v = {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, 7f};
    Npy.writeFloats(f, v, 2, 3);
    Npy.FloatArray back = Npy.readFloats(f);
    assertArrayEquals(v, back.data());
    assertArrayEquals(new long[] {2, 3}, back.shape());
    assertEquals(2, back.rows());
    assertEquals(3, back.cols());
    // header is padded so the data starts on a 64-byte boundary, as numpy writes it
    assertEquals(0, (Files.size(f) - v.length * 4L) % 64);
  }

  @Test
  void readsTheSharedFixtureWrittenByNumpy() throws IOException {
    Npy.FloatArray f = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy"));
    assertArrayEquals(new long[] {2000, 64}, f.shape());
    double norm = 0;
    for (int j = 0; j < 64; j++) norm += f.data()[j] * f.data()[j];
    assertEquals(1.0, norm, 1e-5, "fixture rows are L2-normalised");
    Npy.LongArray l = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy"));
    assertEquals(2000, l.data().length);
  }

  @Test
  void vectorAndLongsRoundTrip() throws IOException {
    Path f = dir.resolve("l.npy");
    Npy.writeLongs(f, new long[] {4, -1, 9}, 3);
    assertArrayEquals(new long[] {4, -1, 9}, Npy.readLongs(f).data());
    assertArrayEquals(new long[] {3}, Npy.readLongs(f).shape());
  }

  @Test
  void refusesWrongTypeAndGarbage() throws IOException {
    Path f = dir.resolve("l.npy");
    Npy.writeLongs(f, new long[] {1}, 1);
    IOException e = assertThrows(IOException.class, () -> Npy.readFloats(f));
    assertEquals(true, e.getMessage().contains("<i8"));
    Path g = dir.resolve("g.npy");
    Files.writeString(g, "hello");
    assertThrows(IOException.class, () -> Npy.readFloats(g));
  }

  @Test
  void truncatedFileNamedWithWhatTheHeaderPromised() throws IOException {
    Path f = dir.resolve("t.npy");
    Npy.writeFloats(f, new float[64 * 10], 10, 64);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
    IOException e = assertThrows(IOException.class, () -> Npy.readFloats(f));
    assertEquals(f + ": truncated: header says shape [10, 64] of <f4, 2560 bytes of data, but the file holds 2460; "
        + "write it again", e.getMessage());
    Files.write(f, java.util.Arrays.copyOf(all, 9));
    assertTrue(assertThrows(IOException.class, () -> Npy.readFloats(f)).getMessage().startsWith(f + ": truncated .npy header"));
  }

  @Test
  void headerClaimingMoreThanAnArrayHoldsIsRefusedNotOverflowed() throws IOException {
    Path f = dir.resolve("huge.npy");
    Npy.writeFloats(f, new float[4], 1, 4);
    String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(1, 4)", "(100000000000, 4)");
    Files.writeString(f, text, java.nio.charset.StandardCharsets.ISO_8859_1);
    IOException e = assertThrows(IOException.class, () -> Npy.readFloats(f));
    assertTrue(e.getMessage().startsWith(f + ": header claims shape [100000000000, 4], 400000000000 values; one .npy read"),
        e.getMessage());
  }

  @Test
  void nonFiniteValuesNamedByRowAndColumn() throws IOException {
    Path f = dir.resolve("nan.npy");
    float[] v = new float[12];
    v[7] = Float.NaN;
    Npy.writeFloats(f, v, 3, 4);
    assertEquals(f + ": value NaN at row 1, column 3; every value must be a finite number",
        assertThrows(IOException.class, () -> Npy.readFloats(f)).getMessage());
    v[7] = 0;
    v[2] = Float.NEGATIVE_INFINITY;
    Npy.writeFloats(f, v, 3, 4);
    assertTrue(assertThrows(IOException.class, () -> Npy.readFloats(f)).getMessage().contains("-Infinity at row 0, column 2"));
  }

  @Test
  void halfPrecisionRoundTrips() {
    for (float x : new float[] {0f, 1f, -2f, 0.333f, 65504f, 6.1e-5f, 1e-7f}) {
      float back = Half.toFloat(Half.fromFloat(x));
      assertEquals(x, back, Math.abs(x) * 1e-3 + 1e-7, "half round trip of " + x);
    }
    assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
  }
}
