package io.alvlm.bench;

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
 * on the training path ({@link TrainingRun}: context and optimiser state on the device). With
 * {@code --reference}, PyTorch eager ({@link CoopReference}) is timed after each setting and the
 * ratios printed.
 */
@Command(name = "coop", mixinStandardHelpOptions = true,
    description = "Seconds per CoOp training step (forward + backward + update), with and without the end-of-text cut.")
public final class CoopBench implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  ModelSource source;

  @Option(names = "--classes", defaultValue = "100", description = "Number of classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--steps", defaultValue = "5", description = "Timed steps per setting (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--reference", description = "Also time the PyTorch eager baseline (bench/coop_reference.py) "
      + "right after each setting and print the ratios.")
  boolean reference;

  @Option(names = "--reference-tower", defaultValue = "plain", description = "plain: the text tower written out "
      + "in torch (Debian's python3-torch is enough); hf: Hugging Face transformers' CLIPModel, which --python "
      + "must have (default: ${DEFAULT-VALUE}).")
  String referenceTower;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads on both sides (default: the "
      + "engines' own, all cores); 1 makes the ratio far less sensitive to other load.")
  int threads;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch for --reference "
      + "(default: ${DEFAULT-VALUE}).")
  String python;

  @Override
  public Integer call() throws Exception {
    if (threads > 0) {
      // read by DJL's PyTorch engine when it starts, which is in ClipModel.load below
      System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    }
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
      CoopReference ref = reference
          ? new CoopReference(java.nio.file.Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath(), python,
              referenceTower) : null;
      String loadBefore = CoopReference.loadAverage();
      // alvlm then PyTorch for each length, back to back, so both see the same load
      double cut = secondsPerStep(clip, CoopConfig.defaults(), names, feats, labels);
      double refCut = ref == null ? Double.NaN : ref.secondsPerStep(src.directory(), classes, batchSize, cutLength, steps, threads, true);
      double full = secondsPerStep(clip, CoopConfig.defaults().withCutAfterEndOfText(false), names, feats, labels);
      double refFull = ref == null ? Double.NaN : ref.secondsPerStep(src.directory(), classes, batchSize, cutLength, steps, threads, false);
      System.out.printf("s/step with end-of-text cut: %.4f%n", cut);
      System.out.printf("s/step full 77 tokens:       %.4f%n", full);
      System.out.printf("cut speed-up:                %.2fx%n", full / cut);
      if (ref != null) {
        System.out.printf("reference: %s%n", ref.about());
        System.out.printf("s/step with cut: alvlm %.3f, pytorch %.3f, ratio %.2f×%n", cut, refCut, cut / refCut);
        System.out.printf("s/step full 77: alvlm %.3f, pytorch %.3f, ratio %.2f×%n", full, refFull, full / refFull);
      }
      System.out.printf("native allocator: %s%n", allocator());
      System.out.printf("load average: %s at start, %s at end%n", loadBefore, CoopReference.loadAverage());
      return 0;
    }
  }

  /** tcmalloc when bin/alvlm preloaded it ({@code ALVLM_MALLOC}), else glibc. */
  private static String allocator() {
    String preload = System.getenv(Preload.VARIABLE);
    return Preload.has(preload, Preload.TCMALLOC) ? "tcmalloc (" + preload + ")" : "glibc malloc";
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
