package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.RgbImage;
import io.alvlm.data.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmbedBenchTest {
  @Test
  void syntheticPhotosAreDistinctJpegsOfTheAskedSize() throws Exception {
    List<byte[]> jpegs = EmbedBench.jpegs(3, 120, 90);
    assertEquals(3, jpegs.size());
    RgbImage first = new ImageDecoder(1_000_000).decode(jpegs.get(0));
    assertEquals(120, first.width());
    assertEquals(90, first.height());
    assertTrue(jpegs.get(0)[0] == (byte) 0xFF && jpegs.get(0)[1] == (byte) 0xD8, "not a JPEG");
    assertTrue(!java.util.Arrays.equals(jpegs.get(0), jpegs.get(1)));
  }

  @Test
  void pipelineEmbedsEveryImageAndNamesWhatBoundsIt() {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      // 18 images at batch 4: four full batches and a last one of 2 through the pipeline
      rc = Alvlm.commandLine().execute("bench", "embed", "--model", Fixtures.clipTinyModel().toString(),
          "--batch", "4", "--images", "18", "--threads", "2", "--width", "96");
    } finally {
      System.setOut(saved);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, text);
    Matcher m = Pattern.compile("pipeline end to end: +([0-9.]+) images/s").matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Double.parseDouble(m.group(1)) > 0, text);
    assertTrue(text.contains("2 decode threads"), text);
    assertTrue(text.matches("(?s).*bound by: (decoding and preprocessing on the CPU threads|the tower).*"), text);
  }

  @Test
  void refusesABatchLargerThanTheRun() {
    assertEquals(2, Alvlm.commandLine().execute("bench", "embed", "--model", Fixtures.clipTinyModel().toString(),
        "--batch", "8", "--images", "4"));
  }
}
