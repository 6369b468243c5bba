package io.alvlm.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a Hugging Face CLIP or SigLIP checkpoint, read from its {@code config.json}, whose
 * {@code model_type} picks the {@link ModelFamily}. Fields missing from the file take the defaults
 * of transformers' {@code CLIPConfig} (ViT-B/32 sizes) or {@code SiglipConfig} (base, patch 16, 224
 * px), as published configs leave many out.
 *
 * @param modelId the checkpoint's name ({@code _name_or_path}, else the directory name)
 * @param projectionDim width of the shared image/text feature space (SigLIP: the vision width,
 *     which its text head's {@code projection_size} must equal)
 * @param maxPositions text positions; SigLIP pads every text to this length
 */
public record ClipConfig(String modelId, int projectionDim, Tower text, Tower vision, int imageSize, int patchSize,
    int maxPositions, ModelFamily family) {

  /** A CLIP-layout config (the family every config had before SigLIP). */
  public ClipConfig(String modelId, int projectionDim, Tower text, Tower vision, int imageSize, int patchSize,
      int maxPositions) {
    this(modelId, projectionDim, text, vision, imageSize, patchSize, maxPositions, ModelFamily.CLIP);
  }

  /** MLP activations the shared encoder computes; {@code gelu_pytorch_tanh} is SigLIP's. */
  static final java.util.List<String> ACTIVATIONS = java.util.List.of("quick_gelu", "gelu", "gelu_pytorch_tanh");

  /** One transformer tower: width, MLP width, depth, heads, layer-norm epsilon, MLP activation. */
  public record Tower(int width, int mlpWidth, int layers, int heads, float eps, String activation) {
    public Tower {
      if (width % heads != 0) {
        throw new IllegalArgumentException("hidden_size " + width + " is not divisible by num_attention_heads " + heads);
      }
      if (!ACTIVATIONS.contains(activation)) {
        throw new IllegalArgumentException("hidden_act '" + activation + "' is not supported ("
            + String.join(", ", ACTIVATIONS) + ")");
      }
    }
  }

  /** transformers' defaults for a tower whose config leaves keys out. */
  private record Defaults(int width, int mlpWidth, int layers, int heads, double eps, String activation) {
    Tower read(JsonNode n) {
      return new Tower(n.path("hidden_size").asInt(width), n.path("intermediate_size").asInt(mlpWidth),
          n.path("num_hidden_layers").asInt(layers), n.path("num_attention_heads").asInt(heads),
          (float) n.path("layer_norm_eps").asDouble(eps), n.path("hidden_act").asText(activation));
    }
  }

  /** Reads {@code dir/config.json}. */
  public static ClipConfig read(Path dir) throws IOException {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + " has no config.json: pass a Hugging Face CLIP directory "
          + "(config.json, model.safetensors, tokenizer.json)");
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    try {
      return parse(root, dir);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static ClipConfig parse(JsonNode root, Path dir) {
    ModelFamily family = ModelFamily.of(root.path("model_type").asText(""));
    JsonNode t = root.path("text_config");
    JsonNode v = root.path("vision_config");
    String id = root.path("_name_or_path").asText("");
    if (id.isBlank()) {
      Path name = dir.toAbsolutePath().normalize().getFileName();
      id = name == null ? family.modelType() : name.toString();
    }
    if (family == ModelFamily.CLIP) {
      Tower text = new Defaults(512, 2048, 12, 8, 1e-5, "quick_gelu").read(t);
      Tower vision = new Defaults(768, 3072, 12, 12, 1e-5, "quick_gelu").read(v);
      return new ClipConfig(id, root.path("projection_dim").asInt(512), text, vision, v.path("image_size").asInt(224),
          v.path("patch_size").asInt(32), t.path("max_position_embeddings").asInt(77), family);
    }
    Defaults base = new Defaults(768, 3072, 12, 12, 1e-6, "gelu_pytorch_tanh");
    Tower text = base.read(t);
    Tower vision = base.read(v);
    // SigLIP has no image projection: the image feature is the vision width, the text head maps to projection_size
    int projection = t.path("projection_size").asInt(text.width());
    if (projection != vision.width()) {
      throw new IllegalArgumentException("text_config.projection_size " + projection + " differs from "
          + "vision_config.hidden_size " + vision.width() + ": image and text features must share one width");
    }
    return new ClipConfig(id, projection, text, vision, v.path("image_size").asInt(224), v.path("patch_size").asInt(16),
        t.path("max_position_embeddings").asInt(64), family);
  }

  /** Image patches per side: {@code floor(image / patch)}, as a stride-patch convolution sees them. */
  public int patchGrid() {
    return imageSize / patchSize;
  }

  /** Vision positions: the patches, plus CLIP's class token. */
  public int visionTokens() {
    int g = patchGrid();
    return family == ModelFamily.CLIP ? g * g + 1 : g * g;
  }
}
