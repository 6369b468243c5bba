package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.PromptLearner;
import io.alvlm.coop.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench coop}: seconds per CoOp training step (forward, backward, SGD update) over
 * {@code --classes} classes, with and without the end-of-text cut (the uncut run is the baseline),
 * on the training path ({@link TrainingRun}: context and optimiser state on the device).
 */
@Command(name = "coop", mixinStandardHelpOptions = true,
    description = "Seconds per CoOp training step (forward + backward + update), with and without the end-of-text cut.")
final class CoopBench implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  ModelSource source;

  @Option(names = "--classes", defaultValue = "100", description = "Number of classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--steps", defaultValue = "5", description = "Timed steps per setting (default: ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() throws Exception {
    try (ModelSource src = source; ClipModel clip = ClipModel.load(src.directory())) {
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
      int cutLength = 0;
      for (int e : new PromptLearner(clip, names, CoopConfig.defaults()).endOfText()) cutLength = Math.max(cutLength, e + 1);
      System.out.printf("prompt length with the cut: %d tokens (bench/coop_reference.py --cut-length %d)%n", cutLength,
          cutLength);
      double cut = secondsPerStep(clip, CoopConfig.defaults(), names, feats, labels);
      double full = secondsPerStep(clip, CoopConfig.defaults().withCutAfterEndOfText(false), names, feats, labels);
      System.out.printf("s/step with end-of-text cut: %.4f%n", cut);
      System.out.printf("s/step full 77 tokens:       %.4f%n", full);
      System.out.printf("cut speed-up:                %.2fx%n", full / cut);
      return 0;
    }
  }

  /** Steps of {@link TrainingRun}, the path training takes: context and momentum stay on the device. */
  private double secondsPerStep(ClipModel clip, CoopConfig cfg, List<String> names, float[][] feats, int[] labels) {
    PromptLearner learner = new PromptLearner(clip, names, cfg);
    float[][] rows = new float[feats.length][];
    for (int i = 0; i < feats.length; i++) {
      double norm = 0;
      for (float v : feats[i]) norm += v * v;
      rows[i] = new float[feats[i].length];
      for (int j = 0; j < rows[i].length; j++) rows[i][j] = (float) (feats[i][j] / Math.sqrt(norm));
    }
    int[] batch = new int[feats.length];
    for (int i = 0; i < batch.length; i++) batch[i] = i;
    try (TrainingRun run = new TrainingRun(clip, learner, cfg, rows, labels, learner.initialContext())) {
      run.step(batch, 1); // warm-up: first-call allocations and kernel selection
      run.endEpoch();
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) run.step(batch, 1);
      run.endEpoch(); // reads the loss back, so queued device work is finished before the clock stops
      return (System.nanoTime() - start) / 1e9 / steps;
    }
  }
}
