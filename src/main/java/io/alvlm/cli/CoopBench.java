package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.PromptLearner;
import io.alvlm.coop.Sgd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench coop}: seconds per CoOp training step (forward, backward, SGD update) over
 * {@code --classes} classes, with and without the end-of-text cut (the uncut run is the baseline).
 */
@Command(name = "coop", mixinStandardHelpOptions = true,
    description = "Seconds per CoOp training step (forward + backward + update), with and without the end-of-text cut.")
final class CoopBench implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Hugging Face CLIP directory.")
  Path model;

  @Option(names = "--classes", defaultValue = "100", description = "Number of classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--steps", defaultValue = "5", description = "Timed steps per setting (default: ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() throws Exception {
    try (ClipModel clip = ClipModel.load(model)) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < classes; k++) names.add(Prompts.CLASS_WORDS.get(k % Prompts.CLASS_WORDS.size()) + " " + k);
      Random rnd = new Random(0);
      float[][] feats = new float[batchSize][clip.projectionDim()];
      int[] labels = new int[batchSize];
      for (int i = 0; i < batchSize; i++) {
        for (int j = 0; j < feats[i].length; j++) feats[i][j] = (float) rnd.nextGaussian();
        labels[i] = rnd.nextInt(classes);
      }
      System.out.printf("bench coop: %s on %s, %d classes, batch %d, 4 context vectors%n", clip.modelId(),
          clip.device(), classes, batchSize);
      double cut = secondsPerStep(clip, CoopConfig.defaults(), names, feats, labels);
      double full = secondsPerStep(clip, CoopConfig.defaults().withCutAfterEndOfText(false), names, feats, labels);
      System.out.printf("s/step with end-of-text cut: %.4f%n", cut);
      System.out.printf("s/step full 77 tokens:       %.4f%n", full);
      System.out.printf("cut speed-up:                %.2fx%n", full / cut);
      return 0;
    }
  }

  private double secondsPerStep(ClipModel clip, CoopConfig cfg, List<String> names, float[][] feats, int[] labels) {
    PromptLearner learner = new PromptLearner(clip, names, cfg);
    CoopTrainer trainer = new CoopTrainer(clip, cfg);
    Sgd sgd = new Sgd(cfg.momentum(), cfg.weightDecay());
    float[] ctx = learner.initialContext();
    sgd.step(ctx, trainer.step(learner, ctx, feats, labels).gradient(), cfg.lr());
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      sgd.step(ctx, trainer.step(learner, ctx, feats, labels).gradient(), cfg.lr());
    }
    return (System.nanoTime() - start) / 1e9 / steps;
  }
}
