package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  void halfPrecisionRoundTrips() {
    for (float x : new float[] {0f, 1f, -2f, 0.333f, 65504f, 6.1e-5f, 1e-7f}) {
      float back = Half.toFloat(Half.fromFloat(x));
      assertEquals(x, back, Math.abs(x) * 1e-3 + 1e-7, "half round trip of " + x);
    }
    assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
  }
}
