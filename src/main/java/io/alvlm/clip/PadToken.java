package io.alvlm.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The padding id of a SigLIP tokenizer. SigLIP pools its text at the last position, which is
 * usually padding, so the id matters: it is {@code tokenizer.json}'s own {@code padding.pad_id}
 * when the file carries padding, else the {@code pad_token} of {@code tokenizer_config.json} or
 * {@code special_tokens_map.json} (Google's SigLIP: {@code </s>}; SigLIP 2: {@code <pad>}), else
 * transformers' {@code SiglipTokenizer} default {@code </s>}.
 */
final class PadToken {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT = "</s>";

  private PadToken() {}

  static long id(Path dir, HuggingFaceTokenizer tokenizer) throws IOException {
    JsonNode padding = JSON.readTree(dir.resolve("tokenizer.json").toFile()).path("padding");
    if (padding.path("pad_id").isIntegralNumber()) {
      return padding.path("pad_id").asLong();
    }
    for (String name : new String[] {"tokenizer_config.json", "special_tokens_map.json"}) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) continue;
      JsonNode pad = JSON.readTree(file.toFile()).path("pad_token");
      String token = pad.isTextual() ? pad.asText() : pad.path("content").asText("");
      if (!token.isEmpty()) return single(tokenizer, token, file + " pad_token");
    }
    return single(tokenizer, DEFAULT, "SigLIP's default pad token (no padding in tokenizer.json, no pad_token in "
        + "tokenizer_config.json or special_tokens_map.json)");
  }

  private static long single(HuggingFaceTokenizer tokenizer, String token, String source) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    if (ids.length != 1) {
      throw new IllegalArgumentException(source + " \"" + token + "\" is " + ids.length
          + " tokens in tokenizer.json, not one: set padding.pad_id in tokenizer.json");
    }
    return ids[0];
  }
}
