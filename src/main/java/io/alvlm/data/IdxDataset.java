package io.alvlm.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * A labelled grayscale image set in the IDX format of (Fashion-)MNIST: an images file
 * ({@code magic 0x803, n, rows, cols, n·rows·cols bytes}) and a labels file ({@code 0x801, n, n bytes}),
 * either gzip-compressed or not.
 */
public final class IdxDataset {
  private final byte[] pixels;
  private final byte[] labels;
  private final int count;
  private final int rows;
  private final int cols;

  private IdxDataset(byte[] pixels, byte[] labels, int count, int rows, int cols) {
    this.pixels = pixels;
    this.labels = labels;
    this.count = count;
    this.rows = rows;
    this.cols = cols;
  }

  /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} from {@code dir}. */
  public static IdxDataset read(Path dir, String prefix) throws IOException {
    Path images = existing(dir, prefix + "-images-idx3-ubyte");
    Path labelFile = existing(dir, prefix + "-labels-idx1-ubyte");
    try (DataInputStream in = open(images); DataInputStream lin = open(labelFile)) {
      int magic = in.readInt();
      if (magic != 0x803) {
        throw new IOException(images + ": not an IDX image file (magic " + Integer.toHexString(magic) + ", want 803)");
      }
      int n = in.readInt();
      int r = in.readInt();
      int c = in.readInt();
      int lmagic = lin.readInt();
      int ln = lin.readInt();
      if (lmagic != 0x801 || ln != n) {
        throw new IOException(labelFile + ": not an IDX label file for " + n + " images (magic "
            + Integer.toHexString(lmagic) + ", count " + ln + ")");
      }
      byte[] px = new byte[Math.multiplyExact(n, r * c)];
      in.readFully(px);
      byte[] lb = new byte[n];
      lin.readFully(lb);
      return new IdxDataset(px, lb, n, r, c);
    }
  }

  private static Path existing(Path dir, String base) throws IOException {
    for (Path p : List.of(dir.resolve(base + ".gz"), dir.resolve(base))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException("no " + base + "(.gz) under " + dir);
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream raw = Files.newInputStream(p);
    return new DataInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
  }

  public int size() {
    return count;
  }

  public int label(int i) {
    return labels[i] & 0xff;
  }

  /** A copy of image {@code i} as 8-bit grayscale. */
  public BufferedImage image(int i) {
    BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, cols, rows, java.util.Arrays.copyOfRange(pixels, i * rows * cols, (i + 1) * rows * cols));
    return img;
  }

  /** Image {@code i} encoded as PNG bytes, as a producer would send it. */
  public byte[] png(int i) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image(i), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
