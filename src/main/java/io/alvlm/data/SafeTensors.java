package io.alvlm.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped reader (and a small writer) for the safetensors format: an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
 *
 * <p>Each tensor is mapped on its own, so files above 2 GB read fine as long as one tensor stays
 * below 2 GB. Floats of any stored width (F32, F16, BF16, F64) come back as float32 converted in
 * Java, because DJL's PyTorch engine cannot hold bf16 arrays. Instances are immutable and
 * thread-safe; the mapping is released by the garbage collector.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One tensor's entry in the header; {@code begin}/{@code end} are byte offsets into the data. */
  public record Entry(String dtype, long[] shape, long begin, long end) {
    public long count() {
      long n = 1;
      for (long s : shape) n *= s;
      return n;
    }
  }

  /** A tensor read as float32, row-major. */
  public record Floats(float[] data, long[] shape) {}

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Reads the header of {@code file}; tensor data is mapped lazily by {@link #floats}. */
  public static SafeTensors open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long n = len.flip().getLong();
      if (n <= 0 || n > 100_000_000 || 8 + n > ch.size()) {
        throw new IOException(file + ": not a safetensors file (header length " + n + ")");
      }
      ByteBuffer head = ByteBuffer.allocate((int) n);
      readFully(ch, head, 8);
      JsonNode root = JSON.readTree(new String(head.array(), StandardCharsets.UTF_8));
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> meta = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        JsonNode v = e.getValue();
        long[] shape = new long[v.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = v.get("shape").get(i).asLong();
        JsonNode off = v.get("data_offsets");
        entries.put(e.getKey(), new Entry(v.get("dtype").asText(), shape, off.get(0).asLong(), off.get(1).asLong()));
      }
      return new SafeTensors(file, 8 + n, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(meta));
    }
  }

  public Path file() {
    return file;
  }

  /** Tensor names in header order. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The header entry of {@code name}; throws naming the file and tensor when absent. */
  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(file + ": tensor '" + name + "' is missing (is this the right checkpoint?)");
    }
    return e;
  }

  /** The {@code __metadata__} string map of the header (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads {@code name} as float32; throws if it is absent or its shape is not {@code expected}. */
  public Floats floats(String name, long... expected) throws IOException {
    Entry e = entry(name);
    if (!Arrays.equals(e.shape, expected)) {
      throw new IllegalArgumentException(file + ": tensor '" + name + "' has shape " + Arrays.toString(e.shape)
          + ", expected " + Arrays.toString(expected) + " (does config.json match the weights?)");
    }
    return floats(name);
  }

  /** Reads {@code name} as float32 whatever its stored float type. */
  public Floats floats(String name) throws IOException {
    Entry e = entry(name);
    int n = Math.toIntExact(e.count());
    float[] out = new float[n];
    ByteBuffer b = map(e);
    switch (e.dtype) {
      case "F32" -> b.asFloatBuffer().get(out);
      case "F16" -> {
        for (int i = 0; i < n; i++) out[i] = Half.toFloat(b.getShort());
      }
      case "BF16" -> {
        for (int i = 0; i < n; i++) out[i] = Half.bf16ToFloat(b.getShort());
      }
      case "F64" -> {
        for (int i = 0; i < n; i++) out[i] = (float) b.getDouble();
      }
      default -> throw new IOException(file + ": tensor '" + name + "' is " + e.dtype + ", not a float type");
    }
    return new Floats(out, e.shape);
  }

  /** Reads an integer tensor (I64, I32, I16, I8, U8) as long. */
  public long[] longs(String name) throws IOException {
    Entry e = entry(name);
    int n = Math.toIntExact(e.count());
    long[] out = new long[n];
    ByteBuffer b = map(e);
    for (int i = 0; i < n; i++) {
      out[i] = switch (e.dtype) {
        case "I64" -> b.getLong();
        case "I32" -> b.getInt();
        case "I16" -> b.getShort();
        case "I8" -> b.get();
        case "U8" -> b.get() & 0xff;
        default -> throw new IOException(file + ": tensor '" + name + "' is " + e.dtype + ", not an integer type");
      };
    }
    return out;
  }

  private ByteBuffer map(Entry e) throws IOException {
    long size = e.end - e.begin;
    if (size > Integer.MAX_VALUE) {
      throw new IOException(file + ": one tensor of " + size + " bytes is above the 2 GB a mapping can hold");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, size);
      return m.order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) throw new IOException("unexpected end of file");
    }
  }

  /**
   * Writes float32 tensors (in map order) with string metadata. The header is padded with spaces
   * to a multiple of 8 bytes, as the reference implementation does.
   */
  public static void write(Path out, Map<String, Floats> tensors, Map<String, String> metadata) throws IOException {
    write(out, tensors, metadata, "F32");
  }

  /** Writes tensors stored as {@code dtype}: F32, F16 or BF16 (both rounded to nearest even). */
  public static void write(Path out, Map<String, Floats> tensors, Map<String, String> metadata, String dtype)
      throws IOException {
    int width = width(dtype);
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((n, f) -> shapes.put(n, f.shape()));
    byte[] head = header(shapes, metadata, dtype);
    long offset = head.length - 8L;
    for (Floats f : tensors.values()) offset += (long) width * f.data().length;
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8 + offset)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(head);
    for (Floats f : tensors.values()) {
      for (float v : f.data()) {
        switch (dtype) {
          case "F32" -> b.putFloat(v);
          case "F16" -> b.putShort(Half.fromFloat(v));
          default -> b.putShort(Half.toBf16(v));
        }
      }
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.write(out, b.array());
  }

  /** Fills one tensor's values (row-major) when a streamed write reaches it. */
  public interface TensorFill {
    void fill(String name, float[] values);
  }

  /**
   * Writes float32 tensors of the given shapes one at a time, each filled by {@code fill} just
   * before it is written, so only the largest tensor is ever in memory (for multi-GB checkpoints).
   */
  public static void writeStreamed(Path out, Map<String, long[]> shapes, TensorFill fill) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, ByteBuffer.wrap(header(shapes, Map.of(), "F32")));
      for (Map.Entry<String, long[]> t : shapes.entrySet()) {
        long n = 1;
        for (long s : t.getValue()) n *= s;
        float[] values = new float[Math.toIntExact(n)];
        fill.fill(t.getKey(), values);
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        writeFully(ch, b);
      }
    }
  }

  private static int width(String dtype) {
    return switch (dtype) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new IllegalArgumentException("cannot write dtype " + dtype + " (F32, F16 or BF16)");
    };
  }

  /** The 8-byte length and the JSON header, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(Map<String, long[]> shapes, Map<String, String> metadata, String dtype)
      throws IOException {
    int width = width(dtype);
    ObjectNode head = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = head.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Map.Entry<String, long[]> t : shapes.entrySet()) {
      ObjectNode n = head.putObject(t.getKey());
      n.put("dtype", dtype);
      var shape = n.putArray("shape");
      long count = 1;
      for (long s : t.getValue()) {
        shape.add(s);
        count *= s;
      }
      n.putArray("data_offsets").add(offset).add(offset + width * count);
      offset += width * count;
    }
    byte[] json = JSON.writeValueAsBytes(head);
    int pad = (8 - json.length % 8) % 8;
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + pad).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length + pad).put(json);
    for (int i = 0; i < pad; i++) b.put((byte) ' ');
    return b.array();
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }
}
