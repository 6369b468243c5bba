package io.alvlm.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small generated images for dataset-layout tests: a flat colour per class with a seeded square. */
final class TinyImages {
  private TinyImages() {}

  /** Writes a 24×20 image of class {@code label}, variant {@code i}, as PNG or JPEG by the file's extension. */
  static Path write(Path file, int label, int i) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.getHSBColor(label / 5f, 0.8f, 0.9f));
    g.fillRect(0, 0, 24, 20);
    g.setColor(Color.getHSBColor((label + i) / 7f, 0.5f, 0.4f));
    g.fillRect(i % 12, i % 8, 8, 8);
    g.dispose();
    String name = file.getFileName().toString();
    ImageIO.write(img, name.endsWith(".png") ? "png" : "jpg", file.toFile());
    return file;
  }
}
