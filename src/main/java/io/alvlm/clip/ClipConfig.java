package io.alvlm.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a Hugging Face CLIP checkpoint, read from its {@code config.json}. Fields missing
 * from the file take the defaults of transformers' {@code CLIPConfig} (ViT-B/32 sizes), as older
 * OpenAI configs leave some out.
 *
 * @param modelId the checkpoint's name ({@code _name_or_path}, else the directory name)
 * @param projectionDim width of the shared image/text feature space
 */
public record ClipConfig(String modelId, int projectionDim, Tower text, Tower vision, int imageSize, int patchSize,
    int maxPositions) {

  /** One transformer tower: width, MLP width, depth, heads, layer-norm epsilon, MLP activation. */
  public record Tower(int width, int mlpWidth, int layers, int heads, float eps, String activation) {
    public Tower {
      if (width % heads != 0) {
        throw new IllegalArgumentException("hidden_size " + width + " is not divisible by num_attention_heads " + heads);
      }
      if (!activation.equals("quick_gelu") && !activation.equals("gelu")) {
        throw new IllegalArgumentException("hidden_act '" + activation + "' is not supported (quick_gelu or gelu)");
      }
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
    JsonNode t = root.path("text_config");
    JsonNode v = root.path("vision_config");
    Tower text = new Tower(t.path("hidden_size").asInt(512), t.path("intermediate_size").asInt(2048),
        t.path("num_hidden_layers").asInt(12), t.path("num_attention_heads").asInt(8),
        (float) t.path("layer_norm_eps").asDouble(1e-5), t.path("hidden_act").asText("quick_gelu"));
    Tower vision = new Tower(v.path("hidden_size").asInt(768), v.path("intermediate_size").asInt(3072),
        v.path("num_hidden_layers").asInt(12), v.path("num_attention_heads").asInt(12),
        (float) v.path("layer_norm_eps").asDouble(1e-5), v.path("hidden_act").asText("quick_gelu"));
    String id = root.path("_name_or_path").asText("");
    if (id.isBlank()) {
      Path name = dir.toAbsolutePath().normalize().getFileName();
      id = name == null ? "clip" : name.toString();
    }
    return new ClipConfig(id, root.path("projection_dim").asInt(512), text, vision,
        v.path("image_size").asInt(224), v.path("patch_size").asInt(32), t.path("max_position_embeddings").asInt(77));
  }

  /** Number of image patches plus the class token. */
  public int visionTokens() {
    int g = imageSize / patchSize;
    return g * g + 1;
  }
}
