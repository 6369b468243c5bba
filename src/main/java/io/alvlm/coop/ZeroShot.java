package io.alvlm.coop;

import io.alvlm.clip.ClipModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot class text features from hand-written templates, as CLIP does: each class's
 * normalised template features averaged, then normalised again. The baseline CoOp is compared
 * against, and version 0 of a prompt model before any label arrives.
 */
public final class ZeroShot {
  /** CoOp's and CLIP's basic template. */
  /** CLIP's prompt for a class name (the {@code {}}), the default wherever one template is used. */
  public static final String DEFAULT_TEMPLATE = "a photo of a {}.";
  public static final List<String> DEFAULT_TEMPLATES = List.of(DEFAULT_TEMPLATE);

  private ZeroShot() {}

  /** L2-normalised class features {@code [classes][projection]}; "{}" in a template is the class name. */
  public static float[][] classFeatures(ClipModel clip, List<String> classNames, List<String> templates) {
    if (templates.isEmpty()) throw new IllegalArgumentException("no templates");
    List<String> prompts = new ArrayList<>();
    for (String name : classNames) {
      for (String t : templates) prompts.add(t.replace("{}", name.replace('_', ' ')));
    }
    float[][] all = clip.encodeTexts(prompts);
    float[][] out = new float[classNames.size()][];
    int per = templates.size();
    for (int k = 0; k < out.length; k++) {
      float[] mean = new float[clip.projectionDim()];
      for (int t = 0; t < per; t++) {
        float[] f = Features.normalise(all[k * per + t]);
        for (int j = 0; j < mean.length; j++) mean[j] += f[j] / per;
      }
      out[k] = Features.normalise(mean);
    }
    return out;
  }

  /** A prompt model without context vectors (nCtx 0, version 0) holding the zero-shot features. */
  public static PromptModel model(ClipModel clip, List<String> classNames, List<String> templates) {
    return new PromptModel("zero-shot", 0, clip.modelId(), classNames, 0, clip.textEncoder().width(), false,
        new float[0], clip.projectionDim(), Features.flatten(classFeatures(clip, classNames, templates)),
        clip.logitScale(), Map.of("templates", (double) templates.size()), Instant.now());
  }
}
