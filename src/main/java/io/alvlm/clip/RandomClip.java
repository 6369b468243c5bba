package io.alvlm.clip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.data.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a checkpoint with random weights and exactly the shapes of a {@link ClipArch} in Hugging
 * Face layout ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}), so
 * real-size benchmarks need no download. Weights are uniform with standard deviation 0.02, layer
 * norms 1 and 0, biases 0, logit scale 100 (SigLIP: 10, bias −10, its initial values): speed and
 * memory, not accuracy, is what such a model can measure. Tensors are written one at a time
 * (ViT-L/14 is 1.7 GB, SigLIP 2 So400m 4.5 GB).
 */
public final class RandomClip {
  private RandomClip() {}

  /**
   * Writes {@code arch} into {@code dir} (created), with {@code tokenizer} copied in: CLIP's BPE for
   * a CLIP arch; for a SigLIP any SigLIP tokenizer with ids below the arch's vocabulary (its text
   * always runs at full length, so the tokenizer does not change its speed).
   */
  public static Path write(ClipArch arch, Path dir, Path tokenizer, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom rnd = new SplittableRandom(seed);
    double half = 0.02 * Math.sqrt(3); // uniform on [-h, h] has standard deviation h/√3
    SafeTensors.writeStreamed(dir.resolve("model.safetensors"), arch.tensorShapes(), (name, v) -> {
      if (name.equals("logit_scale")) {
        v[0] = (float) Math.log(arch.family() == ModelFamily.CLIP ? 100 : 10);
      } else if (name.equals("logit_bias")) {
        v[0] = -10;
      } else if (name.contains("norm") && name.endsWith("weight")) {
        java.util.Arrays.fill(v, 1f);
      } else if (!name.endsWith("bias")) {
        for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * half);
      }
    });
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config(arch));
    Files.copy(tokenizer, dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  /** The {@code config.json} of {@code arch}, with the keys {@link ClipConfig#read} reads. */
  static ObjectNode config(ClipArch arch) {
    ClipConfig c = arch.config();
    ObjectNode root = new ObjectMapper().createObjectNode();
    if (arch.family() == ModelFamily.SIGLIP) {
      root.putArray("architectures").add("SiglipModel");
      root.put("model_type", "siglip");
      root.put("_name_or_path", c.modelId());
      ObjectNode t = tower(root.putObject("text_config"), c.text());
      t.put("max_position_embeddings", c.maxPositions());
      t.put("vocab_size", arch.vocab());
      t.put("projection_size", c.projectionDim());
      ObjectNode v = tower(root.putObject("vision_config"), c.vision());
      v.put("image_size", c.imageSize());
      v.put("patch_size", c.patchSize());
      return root;
    }
    root.putArray("architectures").add("CLIPModel");
    root.put("model_type", "clip");
    root.put("_name_or_path", c.modelId());
    root.put("projection_dim", c.projectionDim());
    ObjectNode t = tower(root.putObject("text_config"), c.text()).put("projection_dim", c.projectionDim());
    t.put("max_position_embeddings", c.maxPositions());
    t.put("vocab_size", ClipArch.VOCAB);
    ObjectNode v = tower(root.putObject("vision_config"), c.vision()).put("projection_dim", c.projectionDim());
    v.put("image_size", c.imageSize());
    v.put("patch_size", c.patchSize());
    return root;
  }

  private static ObjectNode tower(ObjectNode n, ClipConfig.Tower t) {
    n.put("hidden_size", t.width());
    n.put("intermediate_size", t.mlpWidth());
    n.put("num_hidden_layers", t.layers());
    n.put("num_attention_heads", t.heads());
    n.put("layer_norm_eps", t.eps());
    n.put("hidden_act", t.activation());
    return n;
  }
}
