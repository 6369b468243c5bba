package io.alvlm.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * How a checkpoint wants its images prepared: the options of Hugging Face's
 * {@code CLIPImageProcessor} (and the older {@code CLIPFeatureExtractor}) or
 * {@code SiglipImageProcessor} read from {@code preprocessor_config.json}, with that processor's
 * defaults for what the file leaves out, and the family's for a directory without the file: CLIP
 * resizes the short side and crops the centre, with OpenAI's mean and deviation; SigLIP resizes
 * to the square without a crop, with mean and deviation 0.5. Anything this project cannot do exactly — another processor class,
 * an unknown key, a resample filter other than bilinear or bicubic, an output that is not the
 * vision tower's {@code image_size} square — fails at load with the key and its value.
 *
 * @param shortestEdge resize the short side to this (long side {@code floor(n·long/short)}); 0 when
 *     {@code resizeHeight × resizeWidth} is used instead
 * @param cropSize side of the centre crop; the output is {@code cropSize²} when {@code centreCrop}
 * @param rescaleFactor what 8-bit levels are multiplied by when {@code rescale} (1/255 for CLIP)
 * @param mean per-channel (RGB) mean subtracted when {@code normalize}
 * @param std per-channel standard deviation divided by when {@code normalize}
 */
public record PreprocessorConfig(boolean resize, int shortestEdge, int resizeHeight, int resizeWidth,
    Resample resample, boolean centreCrop, int cropSize, boolean rescale, double rescaleFactor, boolean normalize,
    float[] mean, float[] std) {
  public static final String FILE = "preprocessor_config.json";

  private static final Set<String> CLASSES = Set.of("CLIPImageProcessor", "CLIPImageProcessorFast",
      "CLIPImageProcessorPil", "CLIPFeatureExtractor", "SiglipImageProcessor", "SiglipImageProcessorFast",
      "SiglipImageProcessorPil");
  /** SigLIP's (and fixed-resolution SigLIP 2's) normalisation: [0, 1] to [−1, 1]. */
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};
  /** Bookkeeping keys that do not change the pixels. */
  private static final Set<String> NAMES = Set.of("image_processor_type", "feature_extractor_type",
      "processor_class", "disable_grouping", "image_seq_length");

  /** OpenAI CLIP's preprocessing at {@code imageSize}: what the service did before it read the file. */
  public static PreprocessorConfig clip(int imageSize) {
    return new PreprocessorConfig(true, imageSize, 0, 0, Resample.BICUBIC, true, imageSize, true, 1 / 255.0, true,
        ImagePreprocessor.MEAN.clone(), ImagePreprocessor.STD.clone());
  }

  /** SigLIP's preprocessing at {@code imageSize}: a bicubic resize to the square, no crop, mean and deviation 0.5. */
  public static PreprocessorConfig siglip(int imageSize) {
    return new PreprocessorConfig(true, 0, imageSize, imageSize, Resample.BICUBIC, false, imageSize, true, 1 / 255.0,
        true, HALF.clone(), HALF.clone());
  }

  /**
   * Reads {@code dir/preprocessor_config.json}, or CLIP's defaults when there is none.
   *
   * @param imageSize the vision tower's input side ({@code vision_config.image_size}), which the
   *     output must match
   */
  public static PreprocessorConfig read(Path dir, int imageSize) throws IOException {
    return read(dir, imageSize, ModelFamily.CLIP);
  }

  /** Reads {@code dir/preprocessor_config.json}, or {@code family}'s defaults when there is none. */
  public static PreprocessorConfig read(Path dir, int imageSize, ModelFamily family) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return family == ModelFamily.SIGLIP ? siglip(imageSize) : clip(imageSize);
    }
    try {
      return parse(new ObjectMapper().readTree(file.toFile()), imageSize, family);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The options of one parsed CLIP file (errors name the key and value, not the file). */
  static PreprocessorConfig parse(JsonNode root, int imageSize) {
    return parse(root, imageSize, ModelFamily.CLIP);
  }

  /**
   * The options of one parsed file; defaults are those of the processor class it names, or of the
   * family's processor when it names none.
   */
  static PreprocessorConfig parse(JsonNode root, int imageSize, ModelFamily family) {
    boolean siglip = family == ModelFamily.SIGLIP;
    for (String key : new String[] {"image_processor_type", "feature_extractor_type"}) {
      JsonNode type = root.path(key);
      if (!type.isMissingNode() && !type.isNull() && !CLASSES.contains(type.asText())) {
        throw new IllegalArgumentException(key + " \"" + type.asText() + "\" is not supported: only CLIP's and "
            + "SigLIP's image processors are (" + String.join(", ", CLASSES.stream().sorted().toList()) + ")");
      }
      if (!type.isMissingNode() && !type.isNull()) siglip = type.asText().startsWith("Siglip");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      checkKnown(e.getKey(), e.getValue());
    }
    boolean square = flag(root, "default_to_square", false) || flag(root, "use_square_size", false);
    int shortest = 0;
    int height = 0;
    int width = 0;
    JsonNode size = root.path("size");
    if ((size.isMissingNode() || size.isNull()) && siglip) {
      height = imageSize;
      width = imageSize;
    } else if (size.isMissingNode() || size.isNull()) {
      shortest = imageSize;
    } else if (size.isInt()) {
      shortest = positive("size", size);
    } else if (size.isObject() && size.size() == 1 && size.has("shortest_edge")) {
      shortest = positive("size", size.get("shortest_edge"));
    } else if (size.isObject() && size.size() == 2 && size.has("height") && size.has("width")) {
      height = positive("size", size.get("height"));
      width = positive("size", size.get("width"));
    } else {
      throw new IllegalArgumentException("size " + size + " is not supported: an integer, {\"shortest_edge\": n} "
          + "or {\"height\": h, \"width\": w}");
    }
    if (square && shortest > 0) {
      height = shortest;
      width = shortest;
      shortest = 0;
    }
    int crop = cropSize(root.path("crop_size"), imageSize);
    JsonNode code = root.path("resample");
    Resample resample = code.isMissingNode() || code.isNull() ? Resample.BICUBIC
        : code.isInt() ? Resample.ofPilCode(code.asInt()) : null;
    if (resample == null) {
      throw new IllegalArgumentException("resample " + code + " is not supported: 2 (PIL bilinear) or 3 "
          + "(PIL bicubic)");
    }
    JsonNode factor = root.path("rescale_factor");
    double rescaleFactor = factor.isMissingNode() || factor.isNull() ? 1 / 255.0 : factor.asDouble(-1);
    if (!factor.isMissingNode() && !factor.isNull() && (!factor.isNumber() || !(rescaleFactor > 0))) {
      throw new IllegalArgumentException("rescale_factor " + factor + " is not supported: a positive number");
    }
    PreprocessorConfig c = new PreprocessorConfig(flag(root, "do_resize", true), shortest, height, width, resample,
        flag(root, "do_center_crop", !siglip), crop, flag(root, "do_rescale", true), rescaleFactor,
        flag(root, "do_normalize", true), channels(root, "image_mean", siglip ? HALF : ImagePreprocessor.MEAN),
        channels(root, "image_std", siglip ? HALF : ImagePreprocessor.STD));
    for (float s : c.std) {
      if (!(s != 0 && Float.isFinite(s))) {
        throw new IllegalArgumentException("image_std " + root.path("image_std") + " is not supported: a zero or "
            + "non-finite deviation");
      }
    }
    c.checkOutput(imageSize);
    return c;
  }

  /** Keys that change nothing here are refused unless they hold their neutral value. */
  private static void checkKnown(String key, JsonNode v) {
    boolean ok = switch (key) {
      case "size", "crop_size", "resample", "rescale_factor", "image_mean", "image_std" -> true;
      case "do_resize", "do_center_crop", "do_rescale", "do_normalize", "default_to_square", "use_square_size" ->
          v.isBoolean() || v.isNull();
      // an RGB image is unchanged by conversion, and a 3-channel tower takes nothing else
      case "do_convert_rgb" -> v.isBoolean() || v.isNull();
      case "do_pad" -> v.isNull() || (v.isBoolean() && !v.asBoolean());
      case "data_format" -> v.isNull() || v.asText().equals("channels_first");
      case "input_data_format", "pad_size", "device", "return_tensors" -> v.isNull();
      default -> NAMES.contains(key) || key.startsWith("_");
    };
    if (!ok) {
      throw new IllegalArgumentException(key + " " + v + " is not supported");
    }
  }

  private static int cropSize(JsonNode crop, int imageSize) {
    if (crop.isMissingNode() || crop.isNull()) {
      return imageSize;
    }
    if (crop.isInt()) {
      return positive("crop_size", crop);
    }
    if (crop.isObject() && crop.size() == 2 && crop.has("height") && crop.has("width")
        && crop.get("height").equals(crop.get("width"))) {
      return positive("crop_size", crop.get("height"));
    }
    throw new IllegalArgumentException("crop_size " + crop + " is not supported: an integer or a square "
        + "{\"height\": n, \"width\": n}");
  }

  private void checkOutput(int imageSize) {
    int out;
    if (centreCrop) {
      out = cropSize;
    } else if (resize && shortestEdge == 0) {
      if (resizeHeight != resizeWidth) {
        throw new IllegalArgumentException("size " + sizeText() + " with do_center_crop false is not supported: "
            + "the vision tower takes " + imageSize + "×" + imageSize);
      }
      out = resizeHeight;
    } else {
      throw new IllegalArgumentException("do_center_crop false with " + (resize ? "size " + sizeText()
          : "do_resize false") + " is not supported: images would keep their own shape, and the vision tower "
          + "takes " + imageSize + "×" + imageSize + " (set do_center_crop, or a square size {height, width})");
    }
    if (out != imageSize) {
      throw new IllegalArgumentException((centreCrop ? "crop_size " : "size ") + out + " does not match the vision "
          + "tower's image_size " + imageSize + " (config.json vision_config)");
    }
  }

  private String sizeText() {
    return shortestEdge > 0 ? "{\"shortest_edge\": " + shortestEdge + "}"
        : "{\"height\": " + resizeHeight + ", \"width\": " + resizeWidth + "}";
  }

  private static boolean flag(JsonNode root, String key, boolean dflt) {
    JsonNode v = root.path(key);
    return v.isMissingNode() || v.isNull() ? dflt : v.asBoolean();
  }

  private static int positive(String key, JsonNode v) {
    if (!v.isInt() || v.asInt() <= 0) {
      throw new IllegalArgumentException(key + " " + v + " is not supported: sides are positive integers");
    }
    return v.asInt();
  }

  /** A number (every channel) or three numbers (RGB). */
  private static float[] channels(JsonNode root, String key, float[] dflt) {
    JsonNode v = root.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return dflt.clone();
    }
    if (v.isNumber()) {
      return new float[] {v.floatValue(), v.floatValue(), v.floatValue()};
    }
    if (v.isArray() && v.size() == 3 && v.get(0).isNumber() && v.get(1).isNumber() && v.get(2).isNumber()) {
      return new float[] {v.get(0).floatValue(), v.get(1).floatValue(), v.get(2).floatValue()};
    }
    throw new IllegalArgumentException(key + " " + v + " is not supported: one number or three (RGB)");
  }
}
