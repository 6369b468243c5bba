package io.alvlm.chaos;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

/** Image payloads a hostile or broken producer might send; each must end in the dead-letter topic. */
public final class HostileImages {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private HostileImages() {}

  /** The first half of a valid image: the header parses, the pixel data ends early. */
  public static byte[] truncated(byte[] png) {
    return Arrays.copyOf(png, png.length / 2);
  }

  /** A valid image with bytes flipped in the middle of its compressed data. */
  public static byte[] corrupted(byte[] png, long seed) {
    byte[] b = png.clone();
    Random r = new Random(seed);
    for (int i = 0; i < 16; i++) {
      int at = 40 + r.nextInt(Math.max(1, b.length - 52));
      b[at] ^= (byte) (1 + r.nextInt(255));
    }
    return b;
  }

  /** Random bytes that are no image format at all. */
  public static byte[] garbage(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    b[0] = 'x'; // never an accepted format's magic by chance
    return b;
  }

  /**
   * A decompression bomb: a small PNG whose header declares {@code width × height} 8-bit grey
   * pixels (100000 × 100000 is 10 GB decoded). Only the header is real; a decoder that trusts it
   * would allocate the whole raster before finding the data short.
   */
  public static byte[] declaredBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PNG_SIGNATURE);
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit grey, deflate, no filter/interlace
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1}); // a few deflated zero bytes
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * The same bomb as a baseline TIFF: one uncompressed strip of {@code width × height} 8-bit grey
   * pixels declared in the first IFD, followed by a few bytes of data.
   */
  public static byte[] declaredTiffBomb(int width, int height) {
    int[][] entries = { // tag, type (3 SHORT, 4 LONG), value
        {256, 4, width}, {257, 4, height}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, 8 + 2 + 10 * 12 + 4},
        {277, 3, 1}, {278, 4, height}, {279, 4, -1}, {284, 3, 1}};
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + entries.length * 12 + 4 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.length);
    for (int[] e : entries) {
      b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
      if (e[1] == 3) b.putShort((short) e[2]).putShort((short) 0);
      else b.putInt(e[2]);
    }
    b.putInt(0); // no next IFD; the 16 zero bytes after it are all the "pixels" there are
    return b.array();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
