package io.alvlm.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakPlotsTest {
  /** Two roles over 20 samples: the pool's resident set and lag rise, the embedder's stay flat; ingest speeds up. */
  private static void writeCsvs(Path dir) throws Exception {
    StringBuilder samples = new StringBuilder(SoakPlots.SAMPLES_HEADER + "\n");
    StringBuilder progress = new StringBuilder(SoakPlots.PROGRESS_HEADER + "\n");
    long images = 0;
    for (int i = 0; i < 20; i++) {
      int t = 10 * (i + 1);
      samples.append(String.format(Locale.ROOT, "%d,pool,100,%.1f,50.0,80,40,%d%n", t, 200.0 + 10 * i, 100 * i));
      samples.append(String.format(Locale.ROOT, "%d,embedder-1,101,%.1f,40.0,60,30,%d%n", t, 205.0, 5));
      samples.append(String.format(Locale.ROOT, "%d,workbench,102,120.0,30.0,50,20,%n", t));
      images += 10L * (i + 1);
      progress.append(t).append(',').append(images).append(',').append(i / 2).append(',')
          .append(i < 2 ? "" : String.valueOf(1.0 + i)).append('\n');
    }
    Files.writeString(dir.resolve(SoakPlots.SAMPLES), samples);
    Files.writeString(dir.resolve(SoakPlots.PROGRESS), progress);
  }

  @Test
  void writesOneReadablePngPerChartWithRisingSeriesEndingHigh(@TempDir Path dir) throws Exception {
    writeCsvs(dir);
    List<Path> pngs = SoakPlots.write(dir, dir.resolve("plots"));
    assertEquals(List.of(SoakPlots.RSS, SoakPlots.LAG, SoakPlots.INGEST, SoakPlots.ROUNDS),
        pngs.stream().map(p -> p.getFileName().toString()).toList());
    for (Path p : pngs) {
      BufferedImage img = ImageIO.read(p.toFile());
      assertNotNull(img, p + " is not an image ImageIO can decode");
      assertEquals(SoakPlots.WIDTH, img.getWidth(), p.toString());
      assertEquals(SoakPlots.HEIGHT, img.getHeight(), p.toString());
      // the first series rises in every chart: drawn high at the end, low at the start
      Color first = SoakPlots.PALETTE[0];
      assertTrue(pixels(img, first, 0.75, 0.97, 0.08, 0.40) > 10, p + ": the rising series is not drawn high at the end");
      assertEquals(0, pixels(img, first, 0.10, 0.35, 0.08, 0.40), p + ": the rising series is drawn high at the start");
    }
    BufferedImage rss = ImageIO.read(pngs.get(0).toFile());
    assertTrue(pixels(rss, SoakPlots.PALETTE[1], 0.10, 0.97, 0.08, 0.90) > 50, "the flat embedder line is drawn");
    assertTrue(pixels(rss, SoakPlots.PALETTE[2], 0.10, 0.97, 0.08, 0.90) > 50, "the workbench line is drawn");
    BufferedImage lag = ImageIO.read(pngs.get(1).toFile());
    assertEquals(0, pixels(lag, SoakPlots.PALETTE[2], 0, 1, 0, 1), "the workbench has no lag: no third series");
  }

  @Test
  void namesTheFileAndLineOfABadValue(@TempDir Path dir) throws Exception {
    writeCsvs(dir);
    Files.writeString(dir.resolve(SoakPlots.PROGRESS), SoakPlots.PROGRESS_HEADER + "\n10,5,0,\n20,lots,0,\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoakPlots.write(dir, dir));
    assertEquals(dir.resolve(SoakPlots.PROGRESS) + ":3: images_embedded \"lots\" is not a number", e.getMessage());
    Files.writeString(dir.resolve(SoakPlots.SAMPLES), "time_s,role,rss_mib\n");
    e = assertThrows(IllegalArgumentException.class, () -> SoakPlots.write(dir, dir));
    assertTrue(e.getMessage().contains("header is \"time_s,role,rss_mib\", expected \"" + SoakPlots.SAMPLES_HEADER),
        e.getMessage());
  }

  /** Pixels close to {@code c} inside the given fractions of the image's width and height. */
  private static int pixels(BufferedImage img, Color c, double x0, double x1, double y0, double y1) {
    int n = 0;
    for (int y = (int) (y0 * img.getHeight()); y < (int) (y1 * img.getHeight()); y++) {
      for (int x = (int) (x0 * img.getWidth()); x < (int) (x1 * img.getWidth()); x++) {
        Color p = new Color(img.getRGB(x, y));
        int d = Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) + Math.abs(p.getBlue() - c.getBlue());
        if (d < 40) n++;
      }
    }
    return n;
  }
}
