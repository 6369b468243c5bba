package io.alvlm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-dataset zero-shot prompt templates (CLIP_benchmark's English templates; UCF101 from OpenAI
 * CLIP's prompts), keyed by the CoOp dataset name; {@code "a photo of a {}."} for any other dataset.
 */
public final class ZeroShotTemplates {
  private static final String RESOURCE = "/eval/zero-shot-templates.json";
  /** The template for datasets without their own. */
  public static final List<String> DEFAULT = io.alvlm.coop.ZeroShot.DEFAULT_TEMPLATES;

  private ZeroShotTemplates() {}

  /** Templates of {@code dataset} (e.g. {@code DescribableTextures}), or {@link #DEFAULT}. */
  public static List<String> of(String dataset) {
    try (InputStream in = ZeroShotTemplates.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IOException(RESOURCE + " missing from the class path");
      JsonNode node = new ObjectMapper().readTree(in).get(dataset);
      if (node == null) return DEFAULT;
      List<String> out = new ArrayList<>();
      node.forEach(t -> out.add(t.asText()));
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
