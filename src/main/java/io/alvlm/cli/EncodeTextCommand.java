package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.data.Npy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alvlm encode-text}: CLIP or SigLIP text features of texts, float32 {@code [n, projection]}, argument order. */
@Command(name = "encode-text", mixinStandardHelpOptions = true,
    description = "Write CLIP or SigLIP text features (not normalised) of TEXTs to a float32 .npy [n, proj].")
final class EncodeTextCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Hugging Face CLIP or SigLIP directory.")
  Path model;

  @Option(names = "--out", required = true, description = "Output .npy file.")
  Path out;

  @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts (longer ones are truncated to the model's context: 77 tokens for CLIP, 64 for SigLIP).")
  List<String> texts;

  @Override
  public Integer call() throws Exception {
    try (ClipModel clip = ClipModel.load(model)) {
      clip.setBatchSize(batchSize);
      float[][] features = clip.encodeTexts(texts);
      Npy.writeMatrix(out, features);
      // select and evaluate take the scale as --scale / --logit-scale: say what this model's is
      System.err.printf("encode-text: %d texts → %s [%d, %d] (%s, %s; logit scale %s, bias %s)%n", features.length, out,
          features.length, clip.projectionDim(), clip.modelId(), clip.device(), clip.logitScale(), clip.logitBias());
      return 0;
    }
  }
}
