package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The frozen text tower of a {@link ClipModel} (CLIP or SigLIP) as differentiable NDArray
 * functions, for prompt learning: look up token embeddings, put learnt vectors among them, run the
 * rest of the tower.
 * Results live on the manager of the arrays passed in; the weights never require gradients.
 */
public final class TextEncoder {
  private final TextTower tower;

  TextEncoder(TextTower tower) {
    this.tower = tower;
  }

  /** Hidden width of the text tower (the width of one token embedding / context vector). */
  public int width() {
    return tower.width();
  }

  /** Token embeddings {@code [B, len, width]} of the first {@code len} ids of each row, on {@code m}. */
  public NDArray embed(NDManager m, long[][] ids, int len) {
    return tower.embed(m, ids, len);
  }

  /**
   * Text features {@code [B, projection]} (not normalised) of input embeddings {@code [B, L, width]}
   * (before position embeddings), pooled at {@code endOfText[b] < L} (CLIP) or at L − 1 (SigLIP,
   * whose rows must then run the full context, padding included).
   */
  public NDArray forward(NDArray embeds, int[] endOfText) {
    return tower.forward(embeds, endOfText);
  }
}
