package io.alvlm.cli;

import ai.djl.Device;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm parity}: image and text features on {@code --device} in {@code --dtype} against the
 * CPU in fp32, as the largest relative error ‖a − b‖ / ‖b‖ over the inputs. Exits 0 when it is
 * within the bound, 1 when not. {@code scripts/gpu-check} runs it on a GPU; {@code bench clip}
 * runs it in a child JVM before a reduced type on the CPU.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = "Features on --device in --dtype against the CPU in fp32: largest relative error, exit 1 above the bound.")
final class ParityCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true)
  ModelSource source;

  @Option(names = "--device", defaultValue = "gpu", description = "Device under test: gpu or cpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--dtype", defaultValue = "fp32", description = "Image tower type under test (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--bound", description = "Largest relative error allowed (default: 1e-4 for fp32, 1e-2 for fp16, "
      + "5e-2 for bf16).")
  Double bound;

  @Option(names = "--images", defaultValue = "8", description = "Random images and prompts compared (default: ${DEFAULT-VALUE}).")
  int images;

  @Override
  public Integer call() throws Exception {
    Precision precision = Precision.of(dtype);
    double limit = bound != null ? bound : defaultBound(precision);
    Device target = switch (device) {
      case "gpu" -> Device.gpu();
      case "cpu" -> Device.cpu();
      default -> throw new IllegalArgumentException("--device is gpu or cpu, got " + device);
    };
    if (target.isGpu() && !ClipModel.defaultDevice().isGpu()) {
      System.err.println("parity: DJL's PyTorch engine sees no GPU (build with -Pcuda, and check nvidia-smi)");
      return 2;
    }
    try (ModelSource src = source != null ? source : ModelSource.tiny()) {
      Path dir = src.directory();
      Random rnd = new Random(0);
      List<float[]> pixels = new ArrayList<>();
      float[][] ref;
      float[][] refText;
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < images; i++) prompts.add(Prompts.SAMPLE.get(i % Prompts.SAMPLE.size()));
      try (ClipModel cpu = ClipModel.load(dir, Device.cpu(), Precision.FP32)) {
        for (int i = 0; i < images; i++) {
          float[] p = new float[3 * cpu.imageSize() * cpu.imageSize()];
          for (int j = 0; j < p.length; j++) p[j] = (float) rnd.nextGaussian();
          pixels.add(p);
        }
        ref = cpu.embedImages(pixels);
        refText = cpu.encodeTexts(prompts);
      }
      try (ClipModel candidate = ClipModel.load(dir, target, precision)) {
        double image = largestRelativeError(candidate.embedImages(pixels), ref);
        double text = largestRelativeError(candidate.encodeTexts(prompts), refText);
        boolean ok = image <= limit && text <= defaultBound(Precision.FP32) && Double.isFinite(image);
        System.out.printf("parity: %s on %s, image tower %s vs cpu fp32, %d images and prompts: image features "
            + "max relative error %.3g (bound %.0e), text features (fp32) %.3g (bound 1e-04): %s%n", src.describe(),
            candidate.device(), precision.label(), images, image, limit, text, ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
      }
    }
  }

  static double defaultBound(Precision p) {
    return switch (p) {
      case FP32 -> 1e-4;
      case FP16 -> 1e-2;
      case BF16 -> 5e-2;
    };
  }

  /** max over rows of ‖a − b‖ / ‖b‖. */
  static double largestRelativeError(float[][] a, float[][] b) {
    double worst = 0;
    for (int i = 0; i < b.length; i++) {
      double diff = 0;
      double norm = 0;
      for (int j = 0; j < b[i].length; j++) {
        double d = (double) a[i][j] - b[i][j];
        diff += d * d;
        norm += (double) b[i][j] * b[i][j];
      }
      double r = Math.sqrt(diff / norm);
      worst = Double.isNaN(r) ? Double.NaN : Math.max(worst, r);
      if (Double.isNaN(worst)) return worst;
    }
    return worst;
  }
}
