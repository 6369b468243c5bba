package io.alvlm.coop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The check every trained prompt model passes before anyone sees it: a finite context and finite
 * class features, and a training-set loss that fell (strictly, when any step ran). A failure names
 * the SHA-256 of the inputs (features, labels, class names, settings), so the same training can be
 * run again to reproduce it.
 */
public final class TrainingCheck {
  private TrainingCheck() {}

  /** Thrown when a trained model fails the check; the model is never returned. */
  public static final class Failed extends IllegalStateException {
    private final String inputsHash;
    private final transient PromptModel worse;

    Failed(String message, String inputsHash) {
      this(message, inputsHash, null);
    }

    private Failed(String message, String inputsHash, PromptModel worse) {
      super(message + " (inputs sha256 " + inputsHash + "); the same inputs reproduce it");
      this.inputsHash = inputsHash;
      this.worse = worse;
    }

    /**
     * The trained model when its only fault is a training-set loss that did not fall (finite
     * throughout): a person exploring settings may keep it ({@code alvlm train --keep-if-worse}).
     */
    public java.util.Optional<PromptModel> worse() {
      return java.util.Optional.ofNullable(worse);
    }

    /** SHA-256 of the training inputs, as {@link #inputsHash} computed it. */
    public String inputsHash() {
      return inputsHash;
    }
  }

  /**
   * Verifies a trained context. {@code lossBefore}/{@code lossAfter} are the mean training-set
   * losses of the initial and the trained context, {@code steps} the SGD steps that ran.
   */
  static void verify(float[] context, float[][] classFeatures, double lossBefore, double lossAfter, int steps,
      String inputsHash) {
    verifyFinite(context, classFeatures, lossBefore, lossAfter, inputsHash);
    verifyLossFell(lossBefore, lossAfter, steps, inputsHash, null);
  }

  /** The context, class features and losses are finite numbers. */
  static void verifyFinite(float[] context, float[][] classFeatures, double lossBefore, double lossAfter,
      String inputsHash) {
    int bad = firstNonFinite(context);
    if (bad >= 0) {
      throw new Failed("trained context is not finite: value " + context[bad] + " at index " + bad, inputsHash);
    }
    for (int k = 0; k < classFeatures.length; k++) {
      int j = firstNonFinite(classFeatures[k]);
      if (j >= 0) throw new Failed("class " + k + " text feature is not finite at dimension " + j, inputsHash);
    }
    if (!Double.isFinite(lossAfter) || !Double.isFinite(lossBefore)) {
      throw new Failed("training-set loss is not finite: " + lossBefore + " before, " + lossAfter + " after", inputsHash);
    }
  }

  /** The training-set loss fell; else {@link Failed} carrying {@code trained} as {@link Failed#worse}. */
  static void verifyLossFell(double lossBefore, double lossAfter, int steps, String inputsHash, PromptModel trained) {
    boolean fell = steps == 0 ? lossAfter <= lossBefore : lossAfter < lossBefore;
    if (!fell) {
      throw new Failed("training-set loss did not fall: " + lossBefore + " before, " + lossAfter + " after " + steps
          + " steps", inputsHash, trained);
    }
  }

  /** SHA-256 (hex) of the views, labels, class names and settings of one training. */
  public static String inputsHash(float[][][] views, int[] labels, List<String> classNames, CoopConfig cfg) {
    return inputsHash(views, labels, classNames, cfg, null);
  }

  /** As {@link #inputsHash(float[][][], int[], List, CoopConfig)}, plus the warm-start context when not null. */
  public static String inputsHash(float[][][] views, int[] labels, List<String> classNames, CoopConfig cfg,
      float[] startContext) {
    MessageDigest sha = sha256();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (float[][] image : views) {
      putInt(sha, b, image.length);
      for (float[] v : image) {
        putInt(sha, b, v.length);
        for (float x : v) putInt(sha, b, Float.floatToRawIntBits(x));
      }
    }
    for (int y : labels) putInt(sha, b, y);
    for (String name : classNames) {
      byte[] s = name.getBytes(StandardCharsets.UTF_8);
      putInt(sha, b, s.length);
      sha.update(s);
    }
    sha.update(cfg.toString().getBytes(StandardCharsets.UTF_8));
    if (startContext != null) {
      for (float x : startContext) putInt(sha, b, Float.floatToRawIntBits(x));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void putInt(MessageDigest sha, ByteBuffer b, int v) {
    b.clear();
    b.putInt(v);
    sha.update(b.array(), 0, 4);
  }

  private static int firstNonFinite(float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) return i;
    }
    return -1;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
