package io.alvlm.clip;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shapes of published checkpoints, from their configs. OpenAI's CLIP (Hugging Face
 * {@code openai/clip-vit-*}): vision width, depth, heads, patch and image size; text width, depth
 * and heads; projection width; all have 77 text positions, a 49,408-token vocabulary, MLPs 4× wide,
 * quick_gelu and layer-norm epsilon 1e-5. Google's SigLIP {@code siglip-base-patch16-224} (every
 * {@code SiglipConfig} default: width 768, MLP 3072, 12 layers and heads both towers, a 32,000-token
 * vocabulary) and SigLIP 2 {@code siglip2-so400m-patch14-384} (width 1152, MLP 4304, 27 layers,
 * 16 heads both towers, Gemma's 256,000-token vocabulary); both 64 text positions,
 * gelu_pytorch_tanh and epsilon 1e-6, no projections (the features are the width).
 */
public enum ClipArch {
  VIT_B_32("ViT-B/32", 768, 12, 12, 32, 224, 512, 12, 8, 512),
  VIT_B_16("ViT-B/16", 768, 12, 12, 16, 224, 512, 12, 8, 512),
  VIT_L_14("ViT-L/14", 1024, 24, 16, 14, 224, 768, 12, 12, 768),
  VIT_L_14_336("ViT-L/14-336", 1024, 24, 16, 14, 336, 768, 12, 12, 768),
  SIGLIP_B_16("SigLIP-B/16", 768, 3072, 12, 12, 16, 224, 32_000),
  SIGLIP2_SO400M_14_384("SigLIP2-So400m/14-384", 1152, 4304, 27, 16, 14, 384, 256_000);

  public static final int VOCAB = 49408;
  public static final int POSITIONS = 77;
  /** SigLIP's text positions (SigLIP and SigLIP 2). */
  public static final int SIGLIP_POSITIONS = 64;

  private final String label;
  private final ModelFamily family;
  private final ClipConfig.Tower vision;
  private final ClipConfig.Tower text;
  private final int patch;
  private final int image;
  private final int projection;
  private final int vocab;
  private final int positions;

  ClipArch(String label, int vWidth, int vLayers, int vHeads, int patch, int image, int tWidth, int tLayers, int tHeads,
      int projection) {
    this.label = label;
    this.family = ModelFamily.CLIP;
    this.vision = new ClipConfig.Tower(vWidth, 4 * vWidth, vLayers, vHeads, 1e-5f, "quick_gelu");
    this.text = new ClipConfig.Tower(tWidth, 4 * tWidth, tLayers, tHeads, 1e-5f, "quick_gelu");
    this.patch = patch;
    this.image = image;
    this.projection = projection;
    this.vocab = VOCAB;
    this.positions = POSITIONS;
  }

  /** A SigLIP: both towers {@code width} wide with the same MLP, depth and heads. */
  ClipArch(String label, int width, int mlp, int layers, int heads, int patch, int image, int vocab) {
    this.label = label;
    this.family = ModelFamily.SIGLIP;
    this.vision = new ClipConfig.Tower(width, mlp, layers, heads, 1e-6f, "gelu_pytorch_tanh");
    this.text = vision;
    this.patch = patch;
    this.image = image;
    this.projection = width;
    this.vocab = vocab;
    this.positions = SIGLIP_POSITIONS;
  }

  public ModelFamily family() {
    return family;
  }

  /** Token-embedding rows of the text tower. */
  public int vocab() {
    return vocab;
  }

  /** {@code ViT-B/16} and the like, as OpenAI names them; {@code SigLIP-B/16}, {@code SigLIP2-So400m/14-384}. */
  public String label() {
    return label;
  }

  /** The arch named {@code name} (case-insensitive); the error lists the known names. */
  public static ClipArch of(String name) {
    for (ClipArch a : values()) {
      if (a.label.equalsIgnoreCase(name.trim())) return a;
    }
    StringBuilder known = new StringBuilder();
    for (ClipArch a : values()) known.append(known.isEmpty() ? "" : ", ").append(a.label);
    throw new IllegalArgumentException("unknown arch '" + name + "' (known: " + known + ")");
  }

  public ClipConfig config() {
    return new ClipConfig("random-" + label.toLowerCase(Locale.ROOT).replace('/', '-'), projection, text, vision, image,
        patch, positions, family);
  }

  /** Every tensor of the Hugging Face {@code CLIPModel} or {@code SiglipModel} checkpoint with its shape, in a fixed order. */
  public Map<String, long[]> tensorShapes() {
    if (family == ModelFamily.SIGLIP) return siglipShapes();
    Map<String, long[]> t = new LinkedHashMap<>();
    long vd = vision.width();
    String e = "vision_model.embeddings.";
    t.put(e + "class_embedding", new long[] {vd});
    t.put(e + "patch_embedding.weight", new long[] {vd, 3, patch, patch});
    t.put(e + "position_embedding.weight", new long[] {config().visionTokens(), vd});
    t.put("vision_model.pre_layrnorm.weight", new long[] {vd});
    t.put("vision_model.pre_layrnorm.bias", new long[] {vd});
    encoder(t, "vision_model", vision);
    t.put("vision_model.post_layernorm.weight", new long[] {vd});
    t.put("vision_model.post_layernorm.bias", new long[] {vd});
    t.put("visual_projection.weight", new long[] {projection, vd});
    long td = text.width();
    t.put("text_model.embeddings.token_embedding.weight", new long[] {VOCAB, td});
    t.put("text_model.embeddings.position_embedding.weight", new long[] {POSITIONS, td});
    encoder(t, "text_model", text);
    t.put("text_model.final_layer_norm.weight", new long[] {td});
    t.put("text_model.final_layer_norm.bias", new long[] {td});
    t.put("text_projection.weight", new long[] {projection, td});
    t.put("logit_scale", new long[] {});
    return t;
  }

  private Map<String, long[]> siglipShapes() {
    Map<String, long[]> t = new LinkedHashMap<>();
    long d = vision.width();
    long m = vision.mlpWidth();
    String e = "vision_model.embeddings.";
    t.put(e + "patch_embedding.weight", new long[] {d, 3, patch, patch});
    t.put(e + "patch_embedding.bias", new long[] {d});
    t.put(e + "position_embedding.weight", new long[] {config().visionTokens(), d});
    encoder(t, "vision_model", vision);
    t.put("vision_model.post_layernorm.weight", new long[] {d});
    t.put("vision_model.post_layernorm.bias", new long[] {d});
    String h = "vision_model.head.";
    t.put(h + "probe", new long[] {1, 1, d});
    t.put(h + "attention.in_proj_weight", new long[] {3 * d, d});
    t.put(h + "attention.in_proj_bias", new long[] {3 * d});
    t.put(h + "attention.out_proj.weight", new long[] {d, d});
    t.put(h + "attention.out_proj.bias", new long[] {d});
    t.put(h + "layernorm.weight", new long[] {d});
    t.put(h + "layernorm.bias", new long[] {d});
    t.put(h + "mlp.fc1.weight", new long[] {m, d});
    t.put(h + "mlp.fc1.bias", new long[] {m});
    t.put(h + "mlp.fc2.weight", new long[] {d, m});
    t.put(h + "mlp.fc2.bias", new long[] {d});
    t.put("text_model.embeddings.token_embedding.weight", new long[] {vocab, d});
    t.put("text_model.embeddings.position_embedding.weight", new long[] {positions, d});
    encoder(t, "text_model", text);
    t.put("text_model.final_layer_norm.weight", new long[] {d});
    t.put("text_model.final_layer_norm.bias", new long[] {d});
    t.put("text_model.head.weight", new long[] {projection, d});
    t.put("text_model.head.bias", new long[] {projection});
    t.put("logit_scale", new long[] {1});
    t.put("logit_bias", new long[] {1});
    return t;
  }

  /** Parameters of the whole model (both towers, projections or heads, the logit scale and bias). */
  public long parameterCount() {
    long n = 0;
    for (long[] s : tensorShapes().values()) {
      long c = 1;
      for (long d : s) c *= d;
      n += c;
    }
    return n;
  }

  private static void encoder(Map<String, long[]> t, String prefix, ClipConfig.Tower tower) {
    long d = tower.width();
    long m = tower.mlpWidth();
    for (int i = 0; i < tower.layers(); i++) {
      String p = prefix + ".encoder.layers." + i + ".";
      for (String n : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        t.put(p + "self_attn." + n + ".weight", new long[] {d, d});
        t.put(p + "self_attn." + n + ".bias", new long[] {d});
      }
      t.put(p + "layer_norm1.weight", new long[] {d});
      t.put(p + "layer_norm1.bias", new long[] {d});
      t.put(p + "mlp.fc1.weight", new long[] {m, d});
      t.put(p + "mlp.fc1.bias", new long[] {m});
      t.put(p + "mlp.fc2.weight", new long[] {d, m});
      t.put(p + "mlp.fc2.bias", new long[] {d});
      t.put(p + "layer_norm2.weight", new long[] {d});
      t.put(p + "layer_norm2.bias", new long[] {d});
    }
  }
}
