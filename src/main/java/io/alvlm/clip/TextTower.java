package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * The text tower split in two so CoOp can put learnt vectors between them: {@link #embed} looks
 * token ids up, {@link #forward} runs positions, the encoder, the final norm, pooling and the
 * projection. CLIP ({@code CLIPTextTransformer} + {@code text_projection}): causal mask, pooled at
 * the end-of-text token, projection without bias. SigLIP ({@code SiglipTextTransformer}):
 * bidirectional attention, pooled at the last position, {@code text_model.head} with bias.
 *
 * <p>CLIP sequences may be shorter than the 77-token context: under the causal mask the state at a
 * position depends only on the positions before it, so a batch cut after its last end-of-text
 * token gives the same features as the full context. SigLIP's may not ({@link ModelFamily#causalText}).
 */
final class TextTower {
  private final ClipConfig cfg;
  private final NDArray tokens;
  private final NDArray positions;
  private final NDArray finalW;
  private final NDArray finalB;
  private final NDArray projection;
  /** SigLIP's head bias; null for CLIP's bias-free projection. */
  private final NDArray projectionBias;
  private final TransformerEncoder encoder;

  TextTower(Checkpoint ck, ClipConfig cfg) throws IOException {
    this.cfg = cfg;
    long d = cfg.text().width();
    String e = "text_model.embeddings.";
    long vocab = ck.file().entry(e + "token_embedding.weight").shape()[0];
    tokens = ck.tensor(e + "token_embedding.weight", vocab, d);
    positions = ck.tensor(e + "position_embedding.weight", cfg.maxPositions(), d);
    finalW = ck.tensor("text_model.final_layer_norm.weight", d);
    finalB = ck.tensor("text_model.final_layer_norm.bias", d);
    boolean clip = cfg.family() == ModelFamily.CLIP;
    projection = ck.linear(clip ? "text_projection.weight" : "text_model.head.weight", cfg.projectionDim(), d);
    projectionBias = clip ? null : ck.tensor("text_model.head.bias", cfg.projectionDim());
    encoder = new TransformerEncoder(ck, "text_model", cfg.text(), false);
  }

  int width() {
    return cfg.text().width();
  }

  /** Token embeddings {@code [B, len, width]} of the first {@code len} ids of each row, on {@code m}. */
  NDArray embed(NDManager m, long[][] ids, int len) {
    long[] flat = new long[ids.length * len];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(ids[i], 0, flat, i * len, len);
    }
    NDArray index = m.create(flat);
    return tokens.get(m, new NDIndex("{}", index)).reshape(ids.length, len, width());
  }

  /**
   * Text features {@code [B, projection]} (not normalised) of token embeddings {@code [B, L, width]};
   * CLIP pools row b at its end-of-text position {@code eot[b]}, below L; SigLIP at L − 1.
   */
  NDArray forward(NDArray embeds, int[] eot) {
    NDManager m = embeds.getManager();
    Shape s = embeds.getShape();
    int b = (int) s.get(0);
    int len = (int) s.get(1);
    if (len > cfg.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + len + " tokens is above the context of " + cfg.maxPositions());
    }
    NDArray x = embeds.add(positions.get(m, new NDIndex("0:{}", len)));
    boolean causal = cfg.family().causalText();
    x = encoder.forward(x, causal ? causalMask(m, len) : null);
    long[] rows = new long[b];
    for (int i = 0; i < b; i++) {
      int at = causal ? eot[i] : len - 1;
      if (at < 0 || at >= len) {
        throw new IllegalArgumentException("end-of-text position " + at + " of row " + i + " is outside [0, " + len + ")");
      }
      rows[i] = (long) i * len + at;
    }
    NDArray pooled = x.reshape((long) b * len, width()).get(new NDIndex("{}", m.create(rows)));
    NDArray features = encoder.norm(pooled, finalW, finalB).matMul(projection);
    return projectionBias == null ? features : features.add(projectionBias);
  }

  /**
   * Additive causal mask, -inf above the diagonal as in OpenAI's CLIP. (A finite -1e9 once stood
   * here to dodge intermittent NaN gradients; their cause was a scalar freed under autograd, see
   * {@link io.alvlm.data.EngineScalar}.)
   */
  private static NDArray causalMask(NDManager m, int len) {
    float[] mask = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        mask[i * len + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return m.create(mask, new Shape(len, len));
  }
}
