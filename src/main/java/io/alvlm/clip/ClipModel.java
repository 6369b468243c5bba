package io.alvlm.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.alvlm.data.SafeTensorShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Hugging Face CLIP or SigLIP checkpoint ({@code config.json}, whose {@code model_type} picks the
 * {@link ModelFamily}; {@code model.safetensors}, or shards named by
 * {@code model.safetensors.index.json}, in fp32, fp16 or bf16; {@code tokenizer.json}; optionally
 * {@code preprocessor_config.json}) run with DJL's PyTorch engine, on the GPU when one is present.
 * Both families answer the same calls: image features, text features, the logit scale and bias,
 * and the text tower for CoOp's context vectors ({@link #textEncoder}).
 * Weights are held as float32 (the image tower's in its {@link Precision}) on a capped manager
 * owned by this object; every batch runs in its
 * own scoped sub-manager, so nothing outlives a call but plain Java arrays.
 *
 * <p>Features are CLIP's projections (SigLIP's pooling heads), <em>not</em> normalised. Not thread-safe: one instance per
 * thread, or calls from one thread at a time, each holding this object's monitor (the embedder and
 * the trainer do). {@link #close} takes that monitor too, so it waits for a caller that holds it
 * instead of freeing the weights and a training's arrays under it; afterwards every call fails
 * with {@link IllegalStateException}.
 */
public final class ClipModel implements AutoCloseable {
  /**
   * System property that lets {@link Precision#BF16} through: for a DJL JNI built with a bfloat16 type
   * mapping (the GPU run's); DJL's prebuilt one aborts the JVM on the first bfloat16 array.
   */
  public static final String TRY_BF16 = "alvlm.try-bf16";

  /** Images and texts per engine call. */
  public static final int DEFAULT_BATCH = 32;

  private final ClipConfig config;
  private final PreprocessorConfig preprocessing;
  private final NDManager base;
  private final NDManager weights;
  private final VisionModel vision;
  private final TextTower text;
  private final ClipTokenizer tokenizer;
  private final float logitScale;
  private final float logitBias;
  private final Precision precision;
  private final PixelStaging staging;
  private int batchSize = DEFAULT_BATCH;
  private boolean cutAfterEndOfText = true;
  private volatile boolean closed;

  private ClipModel(ClipConfig config, PreprocessorConfig preprocessing, NDManager base, NDManager weights, VisionModel vision,
      TextTower text, ClipTokenizer tokenizer, float logitScale, float logitBias, Precision precision) {
    this.config = config;
    this.preprocessing = preprocessing;
    this.base = base;
    this.weights = weights;
    this.vision = vision;
    this.text = text;
    this.tokenizer = tokenizer;
    this.logitScale = logitScale;
    this.logitBias = logitBias;
    this.precision = precision;
    this.staging = new PixelStaging(base.getDevice().isGpu());
  }

  /** Loads {@code dir} on the GPU when the engine sees one, else the CPU, in fp32. */
  public static ClipModel load(Path dir) throws IOException {
    return load(dir, Precision.FP32);
  }

  /** Loads {@code dir} on the GPU when the engine sees one, else the CPU; the image tower in {@code precision}. */
  public static ClipModel load(Path dir, Precision precision) throws IOException {
    return load(dir, defaultDevice(), precision);
  }

  public static ClipModel load(Path dir, Device device) throws IOException {
    return load(dir, device, Precision.FP32);
  }

  /** The GPU when the PyTorch engine sees one, else the CPU. */
  public static Device defaultDevice() {
    return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  /**
   * Loads {@code dir} on {@code device}. The image tower computes in {@code precision} (weights
   * converted once here); the text tower stays float32, as CoOp differentiates through it.
   */
  public static ClipModel load(Path dir, Device device, Precision precision) throws IOException {
    if (precision == Precision.BF16 && !Boolean.getBoolean(TRY_BF16)) {
      throw new IllegalArgumentException("model.dtype=bf16 is refused: DJL's PyTorch engine aborts the JVM on any "
          + "bfloat16 array, on every device ('terminate called without an active exception': DJL 0.36's prebuilt JNI "
          + "maps no bfloat16 type); use fp16 on a GPU, or fp32. A JNI built with that mapping (scripts/gpu-run, "
          + "docs/gpu.md) takes -D" + TRY_BF16 + "=true");
    }
    ClipConfig cfg = ClipConfig.read(dir);
    PreprocessorConfig pre = PreprocessorConfig.read(dir, cfg.imageSize(), cfg.family());
    SafeTensorShards st = SafeTensorShards.open(dir);
    ClipTokenizer tok = ClipTokenizer.load(dir, cfg.family(), cfg.maxPositions());
    NDManager base = NDManager.newBaseManager(device, "PyTorch");
    try {
      NDManager weights = base.newSubManager();
      Checkpoint ck = new Checkpoint(st, weights);
      VisionModel v = VisionModel.of(ck.as(precision.dataType()), cfg);
      TextTower t = new TextTower(ck, cfg);
      float scale = (float) Math.exp(st.floats("logit_scale").data()[0]);
      float bias = cfg.family() == ModelFamily.CLIP ? 0f : st.floats("logit_bias", 1).data()[0];
      // anything later attached to the weights would be a leak: fail loudly instead
      weights.cap();
      return new ClipModel(cfg, pre, base, weights, v, t, tok, scale, bias, precision);
    } catch (IOException | RuntimeException e) {
      base.close();
      tok.close();
      throw e;
    }
  }

  public ClipConfig config() {
    return config;
  }

  public int projectionDim() {
    return config.projectionDim();
  }

  /** {@code exp(logit_scale)} of the checkpoint (100 for OpenAI CLIP). */
  public float logitScale() {
    return logitScale;
  }

  /**
   * SigLIP's {@code logit_bias} (0 for CLIP): logits are {@code logitScale · cos + logitBias}. A
   * softmax over classes, which is what zero-shot probabilities, CoOp's loss and every strategy
   * use, does not change when one number is added to every class, so only a per-pair sigmoid reads it.
   */
  public float logitBias() {
    return logitBias;
  }

  public ModelFamily family() {
    return config.family();
  }

  public String modelId() {
    return config.modelId();
  }

  /** Side of the square input image, in pixels. */
  public int imageSize() {
    return config.imageSize();
  }

  /** The image tower's number type ({@code model.dtype}). */
  public Precision precision() {
    return precision;
  }

  public Device device() {
    return base.getDevice();
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** The checkpoint's {@code preprocessor_config.json} (CLIP's defaults when it has none). */
  public PreprocessorConfig preprocessing() {
    return preprocessing;
  }

  /** The checkpoint's preprocessing, with a decoder that refuses images above {@code maxPixels}. */
  public ImagePreprocessor preprocessor(long maxPixels) {
    return preprocessor(new ImageDecoder(maxPixels));
  }

  /** The checkpoint's preprocessing with {@code decoder}. */
  public ImagePreprocessor preprocessor(ImageDecoder decoder) {
    return new ImagePreprocessor(preprocessing, decoder);
  }

  public void setBatchSize(int batchSize) {
    if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    this.batchSize = batchSize;
  }

  /**
   * Whether prompt batches are cut after their last end-of-text token (default true; same output).
   * SigLIP attends both ways and pools the last position, so its text always runs at full length.
   */
  public void setCutAfterEndOfText(boolean cut) {
    this.cutAfterEndOfText = cut;
  }

  /** Image features {@code [n][projection]} of preprocessed CHW pixels, in input order. */
  public float[][] embedImages(List<float[]> pixels) {
    int s = config.imageSize();
    int per = 3 * s * s;
    return batched(pixels.size(), (range) -> {
      for (int i : range) {
        float[] p = pixels.get(i);
        if (p.length != per) {
          throw new IllegalArgumentException("image " + i + " has " + p.length + " values, expected 3×" + s
              + "×" + s + "=" + per);
        }
      }
      return pixels.subList(range[0], range[0] + range.length);
    }, (m, batch) -> vision.forward(staging.upload(m, batch, per, s)));
  }

  /** Whether the host buffer that batches of pixels go through is page-locked for the GPU, or why not. */
  public String hostStaging() {
    return staging.pinning();
  }

  /** Text features {@code [n][projection]} of texts, in input order. */
  public float[][] encodeTexts(List<String> texts) {
    ensureOpen();
    ClipTokenizer.Tokens t = tokenizer.encode(texts);
    return encodeTokens(t.ids(), t.endOfText());
  }

  /**
   * Text features of token rows (each with an end-of-text token at {@code endOfText[i]}; SigLIP
   * pools the last position of the row whatever it holds).
   */
  public float[][] encodeTokens(long[][] ids, int[] endOfText) {
    return batched(ids.length, range -> range, (m, range) -> {
      long[][] rows = new long[range.length][];
      int[] eot = new int[range.length];
      int len = 0;
      for (int i = 0; i < range.length; i++) {
        rows[i] = ids[range[i]];
        eot[i] = endOfText[range[i]];
        len = Math.max(len, eot[i] + 1);
      }
      int cut = cutAfterEndOfText && config.family().causalText() ? len : rows[0].length;
      return text.forward(text.embed(m, rows, cut), eot);
    });
  }

  /** The text tower, for prompt learning in this project ({@code coop}). */
  public TextEncoder textEncoder() {
    return new TextEncoder(text);
  }

  /** A new sub-manager of the model's device; close it (try-with-resources) when the step is done. */
  public NDManager newScope() {
    ensureOpen();
    return base.newSubManager();
  }

  private interface Step<T> {
    NDArray run(NDManager m, T input);
  }

  private <T> float[][] batched(int n, Function<int[], T> prepare, Step<T> step) {
    ensureOpen();
    float[][] out = new float[n][];
    for (int start = 0; start < n; start += batchSize) {
      int[] range = new int[Math.min(batchSize, n - start)];
      for (int i = 0; i < range.length; i++) range[i] = start + i;
      T input = prepare.apply(range);
      try (NDManager m = base.newSubManager(); NDScope scope = new NDScope()) {
        float[] flat = step.run(m, input).toFloatArray();
        int d = flat.length / range.length;
        for (int i = 0; i < range.length; i++) {
          out[range[i]] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
      }
    }
    return out;
  }

  /** Diagnostics: arrays held by the model's managers (weights included); constant between calls. */
  public int liveArrays() {
    return base.getManagedArrays().size() + weights.getManagedArrays().size();
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("model " + modelId() + " is closed");
  }

  /**
   * Frees the weights and every array of the model's scopes, once a caller holding this object's
   * monitor (an embedding batch, a training) has let go of it. A native array freed under a running
   * step is not an exception but a crash of the whole process: a service that shut down while a
   * retraining ran died that way.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    base.close();
    staging.close();
    tokenizer.close();
  }
}
