package io.alvlm.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1–3, C order). Floats are read as
 * float32 whatever their stored width ({@code <f4}, {@code <f8}, {@code <f2}); integers as long.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A float32 array with its shape; {@code data} is row-major. */
  public record FloatArray(float[] data, long[] shape) {
    public int rows() {
      return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** Row width: the product of every dimension after the first (1 for a vector). */
    public int cols() {
      long c = 1;
      for (int i = 1; i < shape.length; i++) {
        c *= shape[i];
      }
      return (int) c;
    }
  }

  /** An integer array (any stored integer width) with its shape. */
  public record LongArray(long[] data, long[] shape) {}

  private record Header(Path file, String descr, long[] shape, ByteBuffer body) {
    /**
     * The data, checked against the header: {@code itemBytes} per value, as many values as the shape
     * holds (which must fit one Java array) and at least that many bytes in the file.
     */
    ByteBuffer data(int itemBytes) throws IOException {
      long n = 1;
      for (long s : shape) {
        if (s < 0) {
          throw new IOException(file + ": header has a negative dimension in its shape " + Arrays.toString(shape));
        }
        try {
          n = Math.multiplyExact(n, s);
        } catch (ArithmeticException e) {
          n = Long.MAX_VALUE;
        }
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": header claims shape " + Arrays.toString(shape) + ", " + (n == Long.MAX_VALUE ? "over 2^63" : n)
            + " values; one .npy read holds at most " + (Integer.MAX_VALUE - 8) + ": split the array");
      }
      long want = n * itemBytes;
      if (body.remaining() < want) {
        throw new IOException(file + ": truncated: header says shape " + Arrays.toString(shape) + " of " + descr + ", " + want
            + " bytes of data, but the file holds " + body.remaining() + "; write it again");
      }
      return body;
    }

    int count() {
      long n = 1;
      for (long s : shape) n *= s;
      return (int) n;
    }
  }

  /** Reads a float array; every value must be finite (NaN or infinity is refused with its position). */
  public static FloatArray readFloats(Path file) throws IOException {
    Header h = header(file);
    ByteBuffer b = switch (h.descr) {
      case "<f4", "|f4" -> h.data(4);
      case "<f8" -> h.data(8);
      case "<f2" -> h.data(2);
      default -> throw new IOException(file + ": dtype " + h.descr + " is not a float type (want <f4, <f8 or <f2)");
    };
    int n = h.count();
    float[] out = new float[n];
    switch (h.descr) {
      case "<f8" -> {
        for (int i = 0; i < n; i++) out[i] = (float) b.getDouble();
      }
      case "<f2" -> {
        for (int i = 0; i < n; i++) out[i] = Half.toFloat(b.getShort());
      }
      default -> b.asFloatBuffer().get(out);
    }
    FloatArray a = new FloatArray(out, h.shape);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(out[i])) {
        int cols = Math.max(1, a.cols());
        throw new IOException(file + ": value " + out[i] + " at row " + i / cols + ", column " + i % cols
            + "; every value must be a finite number");
      }
    }
    return a;
  }

  public static LongArray readLongs(Path file) throws IOException {
    Header h = header(file);
    ByteBuffer b = switch (h.descr) {
      case "<i8" -> h.data(8);
      case "<i4" -> h.data(4);
      case "<i2" -> h.data(2);
      case "|u1", "|i1" -> h.data(1);
      default -> throw new IOException(file + ": dtype " + h.descr + " is not an integer type (want <i8, <i4, <i2, |u1 or |i1)");
    };
    int n = h.count();
    long[] out = new long[n];
    switch (h.descr) {
      case "<i8" -> b.asLongBuffer().get(out);
      case "<i4" -> {
        for (int i = 0; i < n; i++) out[i] = b.getInt();
      }
      case "<i2" -> {
        for (int i = 0; i < n; i++) out[i] = b.getShort();
      }
      default -> {
        for (int i = 0; i < n; i++) out[i] = h.descr.equals("|u1") ? (b.get() & 0xff) : b.get();
      }
    }
    return new LongArray(out, h.shape);
  }

  public static void writeFloats(Path file, float[] data, long... shape) throws IOException {
    checkCount(data.length, shape);
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    write(file, "<f4", shape, b);
  }

  public static void writeLongs(Path file, long[] data, long... shape) throws IOException {
    checkCount(data.length, shape);
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    write(file, "<i8", shape, b);
  }

  /** Writes a {@code [rows, cols]} float32 matrix. */
  public static void writeMatrix(Path file, float[][] rows) throws IOException {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    writeFloats(file, flat, rows.length, cols);
  }

  private static void checkCount(int n, long[] shape) {
    long c = 1;
    for (long s : shape) c *= s;
    if (c != n) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + c + " values, got " + n);
    }
  }

  private static void write(Path file, String descr, long[] shape, ByteBuffer body) throws IOException {
    StringBuilder sh = new StringBuilder();
    for (long s : shape) sh.append(s).append(", ");
    if (shape.length > 1) sh.setLength(sh.length() - 2);
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + sh + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    head.put(header.getBytes(StandardCharsets.US_ASCII)).flip();
    body.rewind();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      while (head.hasRemaining()) ch.write(head);
      while (body.hasRemaining()) ch.write(body);
    }
  }

  private static Header header(Path file) throws IOException {
    // mapped, not read: the file's bytes stay off the heap, so reading [N, D] costs the array alone
    ByteBuffer all;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new IOException(file + ": " + ch.size() + " bytes, above the 2 GiB one .npy read can hold; split the array");
      }
      all = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
    }
    for (byte m : MAGIC) {
      if (all.remaining() == 0 || all.get() != m) {
        throw new IOException(file + ": not a .npy file (bad magic)");
      }
    }
    if (all.remaining() < 4) {
      throw new IOException(file + ": truncated .npy header");
    }
    int major = all.get();
    all.get();
    if (major != 1 && all.remaining() < 4) {
      throw new IOException(file + ": truncated .npy header");
    }
    int len = major == 1 ? Short.toUnsignedInt(all.getShort()) : all.getInt();
    if (len < 0 || len > all.remaining()) {
      throw new IOException(file + ": truncated .npy header (it says " + len + " bytes, " + all.remaining() + " follow)");
    }
    byte[] dictBytes = new byte[len];
    all.get(dictBytes);
    String dict = new String(dictBytes, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(dict);
    Matcher f = FORTRAN.matcher(dict);
    Matcher s = SHAPE.matcher(dict);
    if (!d.find() || !s.find()) {
      throw new IOException(file + ": unreadable .npy header " + dict.trim());
    }
    if (f.find() && f.group(1).equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    String[] dims = s.group(1).split(",");
    long[] shape;
    try {
      shape = Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      throw new IOException(file + ": unreadable shape (" + s.group(1).trim() + ") in the .npy header");
    }
    String descr = d.group(1);
    if (descr.startsWith(">")) {
      throw new IOException(file + ": big-endian dtype " + descr + " is not supported");
    }
    ByteBuffer body = all.slice().order(ByteOrder.LITTLE_ENDIAN);
    return new Header(file, descr, shape, body);
  }
}
