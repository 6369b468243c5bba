package io.alvlm.clip;

import java.util.Locale;

/**
 * The checkpoint families this project runs, picked by {@code config.json}'s {@code model_type}.
 * The family decides the towers (class token and projections, or the attention-pooling head), the
 * text pooling (CLIP's first end-of-text token under a causal mask; SigLIP's last position under
 * bidirectional attention), the defaults of a config that leaves keys out, the preprocessing
 * defaults and how the tokenizer pads.
 */
public enum ModelFamily {
  /** OpenAI's CLIP layout (transformers' {@code CLIPModel}), LAION's OpenCLIP models republished in it included. */
  CLIP("clip"),
  /** Google's SigLIP (transformers' {@code SiglipModel}), and SigLIP 2 at a fixed resolution, which shares it. */
  SIGLIP("siglip");

  /** What a refusal lists: what loads, and what people ask for that does not. */
  static final String SUPPORTED = "supported: clip (OpenAI CLIP, LAION's OpenCLIP in that layout), siglip (SigLIP, "
      + "and SigLIP 2 at a fixed resolution); not supported: siglip2 (SigLIP 2 NaFlex, variable resolution), EVA-CLIP";

  private final String modelType;

  ModelFamily(String modelType) {
    this.modelType = modelType;
  }

  /** {@code config.json}'s {@code model_type} value. */
  public String modelType() {
    return modelType;
  }

  /**
   * The family of {@code model_type}; an empty value is CLIP (older OpenAI configs). Anything else
   * is refused with the supported list.
   */
  public static ModelFamily of(String modelType) {
    String t = modelType == null ? "" : modelType.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) return CLIP;
    for (ModelFamily f : values()) {
      if (f.modelType.equals(t)) return f;
    }
    throw new IllegalArgumentException("model_type \"" + modelType + "\" is not supported (" + SUPPORTED + ")");
  }

  /**
   * Whether a text state depends only on the positions before it (CLIP's causal mask), so a batch
   * can be cut after its last end-of-text token. SigLIP attends both ways and pools the last
   * position: its text always runs at full length.
   */
  public boolean causalText() {
    return this == CLIP;
  }
}
