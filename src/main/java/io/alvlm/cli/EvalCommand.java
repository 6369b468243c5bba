package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.Accuracy;
import io.alvlm.coop.PromptModel;
import io.alvlm.coop.ZeroShot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm eval}: accuracy of a prompt model on labelled image features, beside zero-shot prompts. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Print top-1 and per-class accuracy of a prompt model and of zero-shot prompts on labelled image features.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Hugging Face CLIP or SigLIP directory (for the zero-shot baseline).")
  Path model;

  @Option(names = "--prompt", required = true, description = "Prompt model from `alvlm train`.")
  Path prompt;

  @Option(names = "--features", required = true, description = "Image features .npy [n, proj].")
  Path features;

  @Option(names = "--labels", required = true, description = "Class index per row, integer .npy [n].")
  Path labels;

  @Option(names = "--classes", required = true, description = "Class names, one per line.")
  Path classes;

  @Option(names = "--template", defaultValue = io.alvlm.coop.ZeroShot.DEFAULT_TEMPLATE, description = "Zero-shot template(s) (default: ${DEFAULT-VALUE}).")
  java.util.List<String> templates;

  @Override
  public Integer call() throws Exception {
    LabelledFeatures data = LabelledFeatures.read(features, labels, classes);
    PromptModel pm = PromptModel.load(prompt);
    if (!pm.classNames().equals(data.classes())) {
      System.err.println("eval: " + classes + " does not list the prompt model's classes in the same order: "
          + pm.classNames());
      return 2;
    }
    try (ClipModel clip = ClipModel.load(model)) {
      if (!pm.baseModelId().equals(clip.modelId())) {
        System.err.printf("eval: warning: prompts were trained on %s, features/zero-shot use %s%n", pm.baseModelId(),
            clip.modelId());
      }
      Accuracy coop = pm.accuracy(data.features(), data.labels());
      Accuracy zs = Accuracy.of(ZeroShot.classFeatures(clip, data.classes(), templates), data.features(),
          data.labels());
      System.out.printf("prompt model (%s v%d, %d ctx%s): %s%n", pm.name(), pm.version(), pm.nCtx(),
          pm.classSpecific() ? ", class-specific" : "", coop);
      System.out.printf("zero-shot (%d template%s): %s%n", templates.size(), templates.size() == 1 ? "" : "s", zs);
      return 0;
    }
  }
}
