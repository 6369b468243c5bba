package io.alvlm.coop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ClipTokenizer;
import io.alvlm.clip.TextEncoder;
import java.util.List;
import java.util.Random;

/**
 * CoOp's prompts for a list of classes: {@code [start] ctx_1 … ctx_n <class name> . [end]} (or the
 * name in the middle or front), where the context rows are learnt vectors that replace token
 * embeddings, fed through the frozen text tower. The special tokens are the tokenizer's: CLIP's
 * start and end-of-text tokens; for SigLIP no start token, so the context takes positions
 * 0..n−1, {@code </s>} after the period, and padding to the full context, which SigLIP's text
 * tower reads. A name too long for the context loses its last tokens, as {@link ClipTokenizer}
 * truncates a long text (the tiny SigLIP of the tests has 16 positions). Context is a flat float32 array,
 * {@code [nCtx, width]} shared or {@code [classes, nCtx, width]} class-specific.
 *
 * <p>All prompts are built by one gather over {@code concat(ctx, token embeddings)}, so the class
 * position and CSC need no special cases and the gradient flows to every context row. Not
 * thread-safe (it drives the model's engine).
 */
public final class PromptLearner {
  private final ClipModel clip;
  private final TextEncoder text;
  private final CoopConfig cfg;
  private final List<String> classNames;
  private final int nCtx;
  private final long[] initIds;
  private final long[][] ids;
  private final int[] endOfText;
  /** For each class and position below the context length: a context row, or -1 for the token id there. */
  private final int[][] contextRow;

  public PromptLearner(ClipModel clip, List<String> classNames, CoopConfig cfg) {
    if (classNames.isEmpty()) throw new IllegalArgumentException("no class names");
    this.clip = clip;
    this.text = clip.textEncoder();
    this.cfg = cfg;
    this.classNames = List.copyOf(classNames);
    ClipTokenizer tok = clip.tokenizer();
    this.initIds = cfg.ctxInit().isBlank() ? null : tok.words(cfg.ctxInit());
    this.nCtx = initIds == null ? cfg.nCtx() : initIds.length;
    int c = classNames.size();
    int context = tok.context();
    long[] period = tok.words(".");
    long[] prefix = tok.prefix();
    long[] suffix = tok.suffix();
    ids = new long[c][context];
    endOfText = new int[c];
    contextRow = new int[c][context];
    for (int k = 0; k < c; k++) {
      // CoOp's class names use spaces where dataset folders have underscores
      String words = classNames.get(k).replace('_', ' ');
      boolean end = cfg.position() == CoopConfig.ClassPosition.END;
      // "name." as one text, as CoOp writes the prompt: SentencePiece-style tokenizers (SigLIP's)
      // give the name with its period other ids than the two apart; CLIP's BPE gives the same
      long[] name = tok.words(end ? words + "." : words);
      long[] tail = end ? new long[0] : period;
      int room = context - prefix.length - nCtx - tail.length - suffix.length;
      if (room < 1) {
        throw new IllegalArgumentException(nCtx + " context vectors leave no room for class '" + classNames.get(k)
            + "' in the text context of " + context + " tokens; use fewer context vectors");
      }
      // a longer name is cut as the tokenizer cuts a long text: its last tokens go, the end token stays
      name = java.util.Arrays.copyOf(name, Math.min(name.length, room));
      java.util.Arrays.fill(contextRow[k], -1);
      java.util.Arrays.fill(ids[k], tok.padId());
      int p = put(prefix, k, 0);
      int half = cfg.position() == CoopConfig.ClassPosition.MIDDLE ? nCtx / 2 : nCtx;
      if (cfg.position() == CoopConfig.ClassPosition.FRONT) {
        p = put(name, k, p);
      }
      for (int j = 0; j < half; j++) p = ctx(k, p, j);
      if (cfg.position() != CoopConfig.ClassPosition.FRONT) {
        p = put(name, k, p);
      }
      for (int j = half; j < nCtx; j++) p = ctx(k, p, j);
      p = put(suffix, k, put(tail, k, p));
      endOfText[k] = p - 1;
    }
  }

  private int put(long[] tokens, int k, int p) {
    for (long t : tokens) ids[k][p++] = t;
    return p;
  }

  private int ctx(int k, int p, int j) {
    contextRow[k][p] = cfg.classSpecific() ? k * nCtx + j : j;
    // the id under a context row is never used; CoOp's placeholder "X" would do as well
    ids[k][p] = clip.tokenizer().padId();
    return p + 1;
  }

  public int nCtx() {
    return nCtx;
  }

  public int width() {
    return text.width();
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Token ids of each class prompt ({@code [classes][context]}), ids under context rows unspecified. */
  public long[][] promptIds() {
    return ids;
  }

  public int[] endOfText() {
    return endOfText.clone();
  }

  /** Shape of the context: {@code [nCtx, width]}, or {@code [classes, nCtx, width]} with CSC. */
  public long[] contextShape() {
    return cfg.classSpecific() ? new long[] {classNames.size(), nCtx, width()} : new long[] {nCtx, width()};
  }

  /** The initial context: token embeddings of {@code ctxInit} (repeated per class with CSC), else N(0, 0.02²). */
  public float[] initialContext() {
    int rows = contextRows();
    int d = width();
    float[] out = new float[rows * d];
    if (initIds != null) {
      float[] words;
      try (NDManager m = clip.newScope(); NDScope scope = new NDScope()) {
        words = text.embed(m, new long[][] {initIds}, initIds.length).toFloatArray();
      }
      for (int r = 0; r < rows; r += nCtx) System.arraycopy(words, 0, out, r * d, words.length);
    } else {
      Random rnd = new Random(cfg.seed());
      for (int i = 0; i < out.length; i++) out[i] = (float) (rnd.nextGaussian() * 0.02);
    }
    return out;
  }

  int contextRows() {
    return cfg.classSpecific() ? classNames.size() * nCtx : nCtx;
  }

  /**
   * Prompt length the text tower runs on: after the last end-of-text token, or the full context
   * (always for SigLIP, whose text tower attends both ways and pools the last position).
   */
  int length() {
    if (!cfg.cutAfterEndOfText() || !clip.family().causalText()) return clip.tokenizer().context();
    int max = 0;
    for (int e : endOfText) max = Math.max(max, e + 1);
    return max;
  }

  /**
   * Class text features {@code [classes, projection]}, not normalised, differentiable in
   * {@code ctx} ({@code [contextRows, width]} on {@code m}).
   */
  public NDArray classFeatures(NDManager m, NDArray ctx) {
    int c = classNames.size();
    int len = length();
    int rows = contextRows();
    long[] index = new long[c * len];
    for (int k = 0; k < c; k++) {
      for (int p = 0; p < len; p++) {
        int r = contextRow[k][p];
        index[k * len + p] = r >= 0 ? r : rows + (long) k * len + p;
      }
    }
    NDArray tokens = text.embed(m, ids, len).reshape((long) c * len, width());
    NDArray all = NDArrays.concat(new NDList(ctx.reshape(rows, width()), tokens), 0);
    NDArray prompts = all.get(new NDIndex("{}", m.create(index))).reshape(c, len, width());
    return text.forward(prompts, endOfText);
  }

  /** Class text features for a fixed context, L2-normalised, {@code [classes][projection]}. */
  public float[][] normalisedClassFeatures(float[] context) {
    float[][] raw = classFeatures(context);
    float[][] out = new float[raw.length][];
    for (int i = 0; i < raw.length; i++) out[i] = Features.normalise(raw[i]);
    return out;
  }

  /** Class text features for a fixed context, not normalised, {@code [classes][projection]}. */
  public float[][] classFeatures(float[] context) {
    try (NDManager m = clip.newScope(); NDScope scope = new NDScope()) {
      NDArray ctx = m.create(context, new Shape(contextRows(), width()));
      float[] flat = classFeatures(m, ctx).toFloatArray();
      int d = flat.length / classNames.size();
      float[][] out = new float[classNames.size()][];
      for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
      return out;
    }
  }
}
