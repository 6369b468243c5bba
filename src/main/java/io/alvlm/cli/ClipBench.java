package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench clip}: images/s of the image tower and prompts/s of the text tower for batch
 * sizes 1, 8, 32, the text tower with and without the end-of-text cut (the cut-off run is the baseline).
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
    description = "Images/s and prompts/s of a CLIP model for batch sizes 1, 8, 32 (prompts with and without the end-of-text cut).")
final class ClipBench implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Hugging Face CLIP directory.")
  Path model;

  @Option(names = "--seconds", defaultValue = "1.0", description = "Minimum timed seconds per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() throws Exception {
    try (ClipModel clip = ClipModel.load(model)) {
      System.out.printf("bench clip: %s on %s, projection %d, image %d px%n", clip.modelId(), clip.device(),
          clip.projectionDim(), clip.imageSize());
      System.out.println("batch  images/s  prompts/s(cut)  prompts/s(full 77)  cut speed-up");
      Random rnd = new Random(0);
      for (int b : new int[] {1, 8, 32}) {
        clip.setBatchSize(b);
        List<float[]> pixels = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          float[] p = new float[3 * clip.imageSize() * clip.imageSize()];
          for (int j = 0; j < p.length; j++) p[j] = (float) rnd.nextGaussian();
          pixels.add(p);
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < b; i++) prompts.add(Prompts.SAMPLE.get(i % Prompts.SAMPLE.size()));
        double img = rate(b, () -> clip.embedImages(pixels));
        clip.setCutAfterEndOfText(true);
        double cut = rate(b, () -> clip.encodeTexts(prompts));
        clip.setCutAfterEndOfText(false);
        double full = rate(b, () -> clip.encodeTexts(prompts));
        clip.setCutAfterEndOfText(true);
        System.out.printf("%5d  %8.1f  %14.1f  %18.1f  %11.2fx%n", b, img, cut, full, cut / full);
      }
      return 0;
    }
  }

  /** Items per second of {@code run} (one warm-up call, then at least {@code seconds} of calls). */
  private double rate(int itemsPerCall, Runnable run) {
    run.run();
    long start = System.nanoTime();
    int calls = 0;
    do {
      run.run();
      calls++;
    } while (System.nanoTime() - start < seconds * 1e9 || calls < 3);
    return calls * itemsPerCall / ((System.nanoTime() - start) / 1e9);
  }
}
