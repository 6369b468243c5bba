package io.alvlm.eval;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.ImageRejectedException;
import io.alvlm.clip.PreprocessorConfig;
import io.alvlm.clip.RgbImage;
import io.alvlm.coop.AugmentedViews;
import io.alvlm.data.SafeTensorShards;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * CLIP image features computed once per image and kept on disk, keyed by the model (a hash of its
 * weights file) and the SHA-256 of the image bytes, so a second run, of any strategy, embeds nothing.
 * Holds the plain CLIP-preprocessed feature (view -1) and augmented views (view 0, 1, ...: a random
 * resized crop and flip seeded by the image hash and the view index, so a view is the same in every run).
 *
 * <p>File: {@code <dir>/<model key>.features}, append-only records of 32 hash bytes, a view int and
 * {@code dim} float32; a torn last record (an interrupted write) is ignored. Not thread-safe.
 */
public final class FeatureCache implements AutoCloseable {
  private static final int CHUNK = 256;

  private final ClipModel clip;
  private final ImagePreprocessor preprocessor;
  private final ImageDecoder decoder;
  private final Path file;
  private final int dim;
  private final Map<String, float[]> entries = new HashMap<>();
  private final DataOutputStream out;
  private long embedded;
  private long hits;

  private FeatureCache(ClipModel clip, Path file, long maxPixels) throws IOException {
    this.clip = clip;
    this.preprocessor = clip.preprocessor(maxPixels);
    this.decoder = new ImageDecoder(maxPixels);
    this.file = file;
    this.dim = clip.projectionDim();
    load();
    this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND), 1 << 16));
  }

  /** Opens (creating) the cache of {@code clip}, loaded from {@code modelDir}, under {@code dir}. */
  public static FeatureCache open(Path dir, ClipModel clip, Path modelDir) throws IOException {
    Objects.requireNonNull(clip, "clip");
    Files.createDirectories(dir);
    return new FeatureCache(clip, dir.resolve(modelKey(clip, modelDir) + ".features"),
        ImagePreprocessor.DEFAULT_MAX_PIXELS);
  }

  /**
   * The model's cache key: its id (file-name safe) and the start of the SHA-256 of its weight files
   * (every shard, in index order) followed by its {@code preprocessor_config.json} when it has one.
   */
  public static String modelKey(ClipModel clip, Path modelDir) throws IOException {
    String id = clip.modelId().replaceAll("[^A-Za-z0-9._-]", "_");
    List<Path> hashed = new ArrayList<>(SafeTensorShards.open(modelDir).files());
    Path processor = modelDir.resolve(PreprocessorConfig.FILE);
    if (Files.isRegularFile(processor)) hashed.add(processor);
    return id + "-" + sha256(hashed).substring(0, 16);
  }

  public Path file() {
    return file;
  }

  /** Images sent through the image tower by this instance (views count one each). */
  public long embedded() {
    return embedded;
  }

  /** Features served from the cache by this instance. */
  public long hits() {
    return hits;
  }

  /** Plain CLIP features {@code [n][dim]} (not normalised) of {@code images}. */
  public float[][] features(List<ImageFile> images, IntConsumer progress) throws IOException {
    float[][][] v = compute(images, 0, progress);
    float[][] out = new float[v.length][];
    for (int i = 0; i < v.length; i++) out[i] = v[i][0];
    return out;
  }

  /** {@code views} augmented-view features per image, {@code [n][views][dim]}. */
  public float[][][] views(List<ImageFile> images, int views) throws IOException {
    if (views <= 0) throw new IllegalArgumentException("views must be positive, got " + views);
    return compute(images, views, i -> {});
  }

  private float[][][] compute(List<ImageFile> images, int views, IntConsumer progress) throws IOException {
    int perImage = Math.max(1, views);
    float[][][] result = new float[images.size()][perImage][];
    List<float[]> pixels = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<int[]> slots = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      byte[] bytes = images.get(i).read();
      String hash = HexFormat.of().formatHex(digest().digest(bytes));
      RgbImage decoded = null;
      for (int v = 0; v < perImage; v++) {
        int view = views == 0 ? -1 : v;
        String key = hash + ":" + view;
        float[] f = entries.get(key);
        if (f != null) {
          hits++;
          result[i][v] = f;
          continue;
        }
        try {
          if (decoded == null) decoded = decoder.decode(bytes);
        } catch (ImageRejectedException e) {
          throw new IOException("image " + images.get(i).name() + ": " + e.getMessage(), e);
        }
        pixels.add(view < 0 ? preprocessor.preprocess(decoded)
            : AugmentedViews.view(decoded, preprocessor, new Random(viewSeed(hash, view))));
        keys.add(key);
        slots.add(new int[] {i, v});
      }
      if (pixels.size() >= CHUNK) flush(pixels, keys, slots, result);
      progress.accept(i + 1);
    }
    flush(pixels, keys, slots, result);
    return result;
  }

  private void flush(List<float[]> pixels, List<String> keys, List<int[]> slots, float[][][] result)
      throws IOException {
    if (pixels.isEmpty()) return;
    float[][] f = clip.embedImages(pixels);
    embedded += f.length;
    for (int j = 0; j < f.length; j++) {
      String key = keys.get(j);
      entries.put(key, f[j]);
      result[slots.get(j)[0]][slots.get(j)[1]] = f[j];
      int colon = key.indexOf(':');
      out.write(HexFormat.of().parseHex(key.substring(0, colon)));
      out.writeInt(Integer.parseInt(key.substring(colon + 1)));
      for (float x : f[j]) out.writeFloat(x);
    }
    out.flush();
    pixels.clear();
    keys.clear();
    slots.clear();
  }

  private void load() throws IOException {
    if (!Files.isRegularFile(file)) return;
    byte[] hash = new byte[32];
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      while (true) {
        float[] f = new float[dim];
        int view;
        try {
          in.readFully(hash);
          view = in.readInt();
          for (int j = 0; j < dim; j++) f[j] = in.readFloat();
        } catch (EOFException torn) {
          break;
        }
        entries.put(HexFormat.of().formatHex(hash) + ":" + view, f);
      }
    }
  }

  private static long viewSeed(String hash, int view) {
    return Long.parseUnsignedLong(hash.substring(0, 15), 16) * 31 + view;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static String sha256(List<Path> files) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 20];
    for (Path p : files) {
      try (InputStream in = Files.newInputStream(p)) {
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
