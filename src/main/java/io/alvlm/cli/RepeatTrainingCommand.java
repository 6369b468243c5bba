package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm repeat-training}: runs the same CoOp training {@code --calls} times in this JVM on
 * seeded Gaussian features and says how many distinct contexts came out (1 when training is
 * deterministic) and how many calls failed. The context hash lets runs in separate JVMs be compared;
 * {@code scripts/training-repeatability} does that over many fresh JVMs.
 */
@Command(name = "repeat-training", mixinStandardHelpOptions = true,
    description = "Train the same CoOp model --calls times; report distinct contexts and failures.")
final class RepeatTrainingCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "models/clip-tiny", description = "Hugging Face CLIP or SigLIP directory (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--calls", defaultValue = "30", description = "Trainings (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--images", defaultValue = "120", description = "Labelled features (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--classes", defaultValue = "10", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--epochs", defaultValue = "2", description = "Epochs per training (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Override
  public Integer call() throws Exception {
    try (ClipModel clip = ClipModel.load(model)) {
      Random r = new Random(7);
      float[][] features = new float[images][clip.projectionDim()];
      int[] labels = new int[images];
      for (int i = 0; i < images; i++) {
        labels[i] = i % classes;
        for (int j = 0; j < features[i].length; j++) features[i][j] = (float) r.nextGaussian();
      }
      List<String> names = new ArrayList<>();
      for (int c = 0; c < classes; c++) names.add("class " + c);
      Map<String, Integer> contexts = new LinkedHashMap<>();
      int failed = 0;
      for (int call = 0; call < calls; call++) {
        try {
          float[] ctx = new CoopTrainer(clip, CoopConfig.defaults().withEpochs(epochs)).train(features, labels, names)
              .context();
          contexts.merge(sha256(ctx), 1, Integer::sum);
        } catch (RuntimeException e) {
          failed++;
          System.out.println("call " + call + ": " + e.getMessage());
        }
      }
      String first = contexts.isEmpty() ? "-" : contexts.keySet().iterator().next();
      System.out.printf("repeat-training: %d calls, %d distinct contexts, %d failed; context sha256 %s%n", calls,
          contexts.size(), failed, first);
      return contexts.size() <= 1 && failed == 0 ? 0 : 1;
    }
  }

  private static String sha256(float[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4);
    for (float x : v) b.putFloat(x);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }
}
