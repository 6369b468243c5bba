package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ExifOrientation;
import io.alvlm.clip.ImageDecoder;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.ImageRejectedException;
import io.alvlm.data.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alvlm embed}: CLIP or SigLIP image features of image files, float32 {@code [n, projection]}, argument order. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Write CLIP or SigLIP image features (not normalised) of IMAGE files to a float32 .npy [n, proj].")
final class EmbedCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Hugging Face CLIP or SigLIP directory (config.json, model.safetensors, tokenizer.json).")
  Path model;

  @Option(names = "--out", required = true, description = "Output .npy file.")
  Path out;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--max-pixels", defaultValue = "40000000", description = "image.max-pixels: refuse larger images (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(names = "--exif-orientation", defaultValue = "apply",
      description = "image.exif.orientation: apply (as Hugging Face's load_image) or ignore the EXIF orientation (default: ${DEFAULT-VALUE}).")
  String exifOrientation;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, WebP, TIFF, BMP or GIF files (first frame).")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    try (ClipModel clip = ClipModel.load(model)) {
      clip.setBatchSize(batchSize);
      ImageDecoder decoder = new ImageDecoder(maxPixels, ExifOrientation.Mode.parse(exifOrientation), f -> {});
      ImagePreprocessor pre = clip.preprocessor(decoder);
      List<float[]> pixels = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        try {
          pixels.add(pre.preprocess(Files.readAllBytes(images.get(i))));
        } catch (ImageRejectedException e) {
          refused.add("image " + i + " (" + images.get(i) + "): " + e.getMessage());
        }
      }
      if (!refused.isEmpty()) {
        refused.forEach(System.err::println);
        return 1;
      }
      float[][] features = clip.embedImages(pixels);
      Npy.writeMatrix(out, features);
      System.err.printf("embed: %d images → %s [%d, %d] (%s, %s)%n", features.length, out, features.length,
          clip.projectionDim(), clip.modelId(), clip.device());
      return 0;
    }
  }
}
