package io.alvlm.clip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alvlm.data.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a CLIP checkpoint with random weights and exactly the shapes of an OpenAI {@link ClipArch}
 * in Hugging Face layout ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}),
 * so real-size benchmarks need no download. Weights are uniform with standard deviation 0.02,
 * layer norms 1 and 0, biases 0, logit scale 100: speed and memory, not accuracy, is what such a
 * model can measure. Tensors are written one at a time (ViT-L/14 is 1.7 GB).
 */
public final class RandomClip {
  private RandomClip() {}

  /** Writes {@code arch} into {@code dir} (created), with the CLIP BPE {@code tokenizer} copied in. */
  public static Path write(ClipArch arch, Path dir, Path tokenizer, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom rnd = new SplittableRandom(seed);
    double half = 0.02 * Math.sqrt(3); // uniform on [-h, h] has standard deviation h/√3
    SafeTensors.writeStreamed(dir.resolve("model.safetensors"), arch.tensorShapes(), (name, v) -> {
      if (name.equals("logit_scale")) {
        v[0] = (float) Math.log(100);
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
    root.putArray("architectures").add("CLIPModel");
    root.put("model_type", "clip");
    root.put("_name_or_path", c.modelId());
    root.put("projection_dim", c.projectionDim());
    ObjectNode t = tower(root.putObject("text_config"), c.text(), c.projectionDim());
    t.put("max_position_embeddings", c.maxPositions());
    t.put("vocab_size", ClipArch.VOCAB);
    ObjectNode v = tower(root.putObject("vision_config"), c.vision(), c.projectionDim());
    v.put("image_size", c.imageSize());
    v.put("patch_size", c.patchSize());
    return root;
  }

  private static ObjectNode tower(ObjectNode n, ClipConfig.Tower t, int projection) {
    n.put("hidden_size", t.width());
    n.put("intermediate_size", t.mlpWidth());
    n.put("num_hidden_layers", t.layers());
    n.put("num_attention_heads", t.heads());
    n.put("layer_norm_eps", t.eps());
    n.put("hidden_act", t.activation());
    n.put("projection_dim", projection);
    return n;
  }
}
