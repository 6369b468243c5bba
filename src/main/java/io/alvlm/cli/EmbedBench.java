package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.Precision;
import io.alvlm.embedder.ClipImageTower;
import io.alvlm.embedder.DecodeThreads;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.imageio.ImageIO;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench embed}: the embedder's own pipeline end to end from JPEG bytes held in memory, without
 * Kafka: the decode threads ({@link DecodeThreads}, one per core unless told) decode and CLIP-preprocess
 * through {@link ClipImageTower}, the calling thread runs the tower a batch at a time while the threads
 * work on the next batches, as the embedder does. In the same run it times the two halves alone (decoding
 * on all the threads, the tower on pixels decoded beforehand) and says which one bounds the pipeline.
 * The GPU machine's bundle holds no broker, hence this bench rather than {@code bench service} there.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Embedder pipeline from JPEG bytes in memory (decode threads, preprocessing, tower) vs each half alone.")
final class EmbedBench implements Callable<Integer> {
  /** Batches decoded ahead of the tower: the one being embedded, and two behind it. */
  private static final int AHEAD = 3;

  @ArgGroup(exclusive = true)
  ModelSource source;

  @Option(names = "--dtype", defaultValue = "fp32", description = "Image tower type: fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--batch", defaultValue = "32", description = "Images per tower call, embed.batch.size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--images", defaultValue = "1024", description = "Images through the pipeline per figure (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--threads", defaultValue = "0", description = "Decode threads, embed.decode.threads; 0: one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--width", defaultValue = "500", description = "JPEG width in pixels; height is 3/4 of it (default: ${DEFAULT-VALUE}, "
      + "about an ImageNet photo).")
  int width;

  @Override
  public Integer call() throws Exception {
    if (batch < 1 || images < batch || width < 8) {
      System.err.println("bench embed: --batch must be at least 1, --images at least --batch, --width at least 8");
      return 2;
    }
    // the tower runs on a thread of its own, as on the embedder's stream thread: PyTorch on the JVM's main
    // thread has run many times slower here (README, bench service)
    Throwable[] failed = new Throwable[1];
    Thread run = new Thread(() -> {
      try {
        measure();
      } catch (Throwable t) {
        failed[0] = t;
      }
    }, "alvlm-embed-bench");
    run.start();
    run.join();
    if (failed[0] instanceof Exception e) throw e;
    if (failed[0] instanceof Error e) throw e;
    return 0;
  }

  private void measure() throws Exception {
    Precision precision = Precision.of(dtype);
    List<byte[]> jpegs = jpegs(64, width, width * 3 / 4);
    ModelSource src = source != null ? source : ModelSource.tiny();
    try (src; ClipModel clip = ClipModel.load(src.directory(), precision);
        DecodeThreads decode = new DecodeThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        ClipImageTower tower = new ClipImageTower(clip, new ImageDecoder(40_000_000L), false)) {
      clip.setBatchSize(batch);
      System.out.printf("bench embed: %s (%s) on %s, tower %s, batch %d, %d JPEGs of %dx%d px (%d KiB each on average), "
          + "%d decode threads%n", clip.modelId(), src.describe(), clip.device(), precision.label(), batch, images, width,
          width * 3 / 4, jpegs.stream().mapToLong(b -> b.length).sum() / jpegs.size() / 1024, decode.threads());
      pipeline(tower, decode, jpegs, AHEAD * batch); // warm-up: JIT, engine, allocator
      double decoded = decodeOnly(tower, decode, jpegs);
      List<float[]> pixels = new ArrayList<>();
      for (int i = 0; i < batch; i++) pixels.add(tower.preprocess("warm-" + i, jpegs.get(i % jpegs.size())));
      tower.embed(pixels);
      long t0 = System.nanoTime();
      int calls = Math.max(2, images / batch);
      for (int i = 0; i < calls; i++) tower.embed(pixels);
      double towerOnly = calls * batch / ((System.nanoTime() - t0) / 1e9);
      double endToEnd = pipeline(tower, decode, jpegs, images);
      System.out.printf("decoding + preprocessing alone: %10.1f images/s (%d threads)%n", decoded, decode.threads());
      System.out.printf("tower alone (pixels in memory): %10.1f images/s%n", towerOnly);
      System.out.printf("pipeline end to end:            %10.1f images/s (%.0f%% of the slower half)%n", endToEnd,
          100 * endToEnd / Math.min(decoded, towerOnly));
      System.out.printf("bound by: %s%n", decoded < towerOnly ? "decoding and preprocessing on the CPU threads" : "the tower");
      System.out.printf("host staging of pixels: %s%n", clip.hostStaging());
    }
  }

  /** Images/s through the pipeline: {@code n} images, decoding at most {@link #AHEAD} batches ahead of the tower. */
  private double pipeline(ClipImageTower tower, DecodeThreads decode, List<byte[]> jpegs, int n) throws InterruptedException {
    long t0 = System.nanoTime();
    Deque<List<FutureTask<float[]>>> queued = new ArrayDeque<>();
    int submitted = 0;
    int embedded = 0;
    while (submitted < n || !queued.isEmpty()) {
      while (queued.size() < AHEAD && submitted < n) {
        int size = Math.min(batch, n - submitted);
        List<FutureTask<float[]>> jobs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          String id = "image-" + (submitted + i);
          byte[] bytes = jpegs.get((submitted + i) % jpegs.size());
          FutureTask<float[]> job = new FutureTask<>(() -> tower.preprocess(id, bytes));
          decode.execute(job);
          jobs.add(job);
        }
        queued.add(jobs);
        submitted += size;
      }
      List<float[]> pixels = new ArrayList<>(batch);
      for (FutureTask<float[]> job : queued.poll()) pixels.add(done(job));
      embedded += tower.embed(pixels).length;
    }
    if (embedded != n) throw new IllegalStateException("the pipeline embedded " + embedded + " of " + n + " images");
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** Images/s of decoding and preprocessing alone on the decode threads. */
  private double decodeOnly(ClipImageTower tower, DecodeThreads decode, List<byte[]> jpegs) throws InterruptedException {
    long t0 = System.nanoTime();
    List<FutureTask<float[]>> jobs = new ArrayList<>(images);
    for (int i = 0; i < images; i++) {
      String id = "image-" + i;
      byte[] bytes = jpegs.get(i % jpegs.size());
      FutureTask<float[]> job = new FutureTask<>(() -> {
        tower.preprocess(id, bytes);
        return null;
      });
      decode.execute(job);
      jobs.add(job);
    }
    for (FutureTask<float[]> job : jobs) done(job);
    return images / ((System.nanoTime() - t0) / 1e9);
  }

  private static float[] done(FutureTask<float[]> job) throws InterruptedException {
    try {
      return job.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
    }
  }

  /** {@code count} distinct photo-like JPEGs (soft gradients, shapes and noise), quality 90. */
  static List<byte[]> jpegs(int count, int w, int h) {
    Random rnd = new Random(7);
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new java.awt.GradientPaint(0, 0, new Color(rnd.nextInt(0xffffff)), w, h, new Color(rnd.nextInt(0xffffff))));
      g.fillRect(0, 0, w, h);
      for (int s = 0; s < 12; s++) {
        g.setColor(new Color(rnd.nextInt(0xffffff)));
        g.fillOval(rnd.nextInt(w), rnd.nextInt(h), 10 + rnd.nextInt(w / 2), 10 + rnd.nextInt(h / 2));
      }
      g.dispose();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          int n = rnd.nextInt(17) - 8;
          int r = clamp(((rgb >> 16) & 255) + n);
          int gr = clamp(((rgb >> 8) & 255) + n);
          int b = clamp((rgb & 255) + n);
          img.setRGB(x, y, (r << 16) | (gr << 8) | b);
        }
      }
      out.add(encode(img));
    }
    return out;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static byte[] encode(BufferedImage img) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      var param = writer.getDefaultWriteParam();
      param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      try (var out = ImageIO.createImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
      } finally {
        writer.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
