package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipCommandsTest {
  @TempDir Path dir;

  private static float[][] rows(Npy.FloatArray a) {
    float[][] out = new float[a.rows()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    }
    return out;
  }

  @Test
  void embedWritesImageFeaturesInArgumentOrder() throws Exception {
    Path out = dir.resolve("img.npy");
    List<String> args = new ArrayList<>(List.of("embed", "--model", Fixtures.clipTinyModel().toString(),
        "--out", out.toString(), "--batch-size", "2"));
    for (int i = 0; i < 3; i++) args.add(Fixtures.clipTiny().resolve("images/img" + i + ".png").toString());
    assertEquals(0, Alvlm.commandLine().execute(args.toArray(new String[0])));
    Npy.FloatArray f = Npy.readFloats(out);
    assertArrayEquals(new long[] {3, 32}, f.shape());
    assertTrue(Expected.relativeError(rows(f), Expected.rows("png_image_embeds")) < 2e-2);
  }

  @Test
  void embedFailsNamingTheRefusedImage() throws Exception {
    Path bad = dir.resolve("notes.txt");
    Files.writeString(bad, "not an image");
    Path out = dir.resolve("img.npy");
    int rc = Alvlm.commandLine().execute("embed", "--model", Fixtures.clipTinyModel().toString(), "--out",
        out.toString(), Fixtures.clipTiny().resolve("images/img0.png").toString(), bad.toString());
    assertEquals(1, rc);
    assertTrue(Files.notExists(out));
  }

  @Test
  void encodeTextWritesTextFeaturesInArgumentOrder() throws Exception {
    Path out = dir.resolve("txt.npy");
    assertEquals(0, Alvlm.commandLine().execute("encode-text", "--model", Fixtures.clipTinyModel().toString(),
        "--out", out.toString(), "a photo of a dog.", "a photo of a cat.", "banded texture.",
        "a centered satellite photo of Highway or Road.", "a photo of a 707-320, a type of aircraft."));
    assertTrue(Expected.relativeError(rows(Npy.readFloats(out)), Expected.rows("text_embeds")) < 1e-4);
  }
}
