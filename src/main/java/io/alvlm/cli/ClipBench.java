package io.alvlm.cli;

import ai.djl.pytorch.jni.JniUtils;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Precision;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench clip}: images/s of the image tower and prompts/s of the text tower per batch
 * size, the text tower with and without the end-of-text cut (the cut-off run is the baseline; SigLIP
 * always runs its full context, so its two columns time the same work), and peak host and device
 * memory. {@code --arch} benches random weights with a published checkpoint's shapes; {@code --dtype} the image tower's number type (a reduced type on the CPU is first tried
 * in a child JVM, as it once aborted the JVM).
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
    description = "Images/s and prompts/s of a CLIP or SigLIP model per batch size (prompts with and without the end-of-text "
        + "cut), peak host and device memory.")
final class ClipBench implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  ModelSource source;

  @Option(names = "--dtype", defaultValue = "fp32", description = "Image tower type: fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--batch", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  int[] batches;

  @Option(names = "--seconds", defaultValue = "1.0", description = "Minimum timed seconds per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--no-prompts", description = "Time the image tower only.")
  boolean noPrompts;

  /** Process CPU seconds and items of the last {@link #rate} call (all threads, as bench/clip_reference.py counts). */
  private double lastCpuSeconds;
  private int lastItems;

  @Override
  public Integer call() throws Exception {
    Precision precision = Precision.of(dtype);
    try (ModelSource src = source) {
      if (precision != Precision.FP32 && !ClipModel.defaultDevice().isGpu()) {
        String refused = ReducedPrecisionProbe.refusal(precision);
        if (refused != null) {
          System.err.println(refused);
          return 2;
        }
      }
      var dir = src.directory();
      HeapPeak.reset();
      try (ClipModel clip = ClipModel.load(dir, precision)) {
        System.out.printf("bench clip: %s (%s) on %s, image tower %s, projection %d, image %d px, %d intra-op threads%n",
            clip.modelId(), src.describe(), clip.device(), precision.label(), clip.projectionDim(), clip.imageSize(),
            JniUtils.getNumThreads());
        System.out.println("batch  images/s  images/CPU-s" + (noPrompts ? "" : "  prompts/s(cut)  prompts/s(full "
            + clip.tokenizer().context() + ")  cut speed-up"));
        Random rnd = new Random(0);
        long device = 0;
        for (int b : batches) {
          clip.setBatchSize(b);
          List<float[]> pixels = new ArrayList<>();
          for (int i = 0; i < b; i++) {
            float[] p = new float[3 * clip.imageSize() * clip.imageSize()];
            for (int j = 0; j < p.length; j++) p[j] = (float) rnd.nextGaussian();
            pixels.add(p);
          }
          double img = rate(b, () -> clip.embedImages(pixels));
          double imgPerCpu = lastItems / lastCpuSeconds;
          device = Math.max(device, MemoryPeaks.deviceBytes(clip.device()));
          if (noPrompts) {
            System.out.printf("%5d  %8.2f  %12.2f%n", b, img, imgPerCpu);
            continue;
          }
          List<String> prompts = new ArrayList<>();
          for (int i = 0; i < b; i++) prompts.add(Prompts.SAMPLE.get(i % Prompts.SAMPLE.size()));
          clip.setCutAfterEndOfText(true);
          double cut = rate(b, () -> clip.encodeTexts(prompts));
          clip.setCutAfterEndOfText(false);
          double full = rate(b, () -> clip.encodeTexts(prompts));
          clip.setCutAfterEndOfText(true);
          System.out.printf("%5d  %8.2f  %12.2f  %14.1f  %18.1f  %11.2fx%n", b, img, imgPerCpu, cut, full, cut / full);
        }
        System.out.printf("peak host memory: heap %s, process RSS %s (VmHWM, weights and engine arrays included)%n",
            MemoryPeaks.gib(HeapPeak.bytes()), MemoryPeaks.gib(MemoryPeaks.residentPeakBytes()));
        System.out.printf("peak device memory: %s%n", clip.device().isGpu()
            ? MemoryPeaks.gib(device) + " in use on the GPU after the runs (cudaMemGetInfo: PyTorch's caching allocator "
                + "keeps its peak reserved)"
            : "n/a (CPU)");
        System.out.printf("dtype: image tower %s, text tower fp32%n", precision.label());
        System.out.printf("host staging of pixels: %s%n", clip.hostStaging());
      }
      return 0;
    }
  }

  /** Items per second of {@code run} (one warm-up call, then at least {@code seconds} and 2 calls). */
  private double rate(int itemsPerCall, Runnable run) {
    run.run();
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    int calls = 0;
    do {
      run.run();
      calls++;
    } while (System.nanoTime() - start < seconds * 1e9 || calls < 2);
    long took = System.nanoTime() - start;
    lastCpuSeconds = (processCpuNanos() - cpu) / 1e9;
    lastItems = calls * itemsPerCall;
    return lastItems / (took / 1e9);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
