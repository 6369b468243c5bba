package io.alvlm.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FGVC-Aircraft as CoOp reads it: {@code variants.txt} (one variant per line, line order = label),
 * {@code images_variant_train.txt} and {@code images_variant_test.txt} ({@code "<image id> <variant>"},
 * the variant may hold spaces) and {@code images/<image id>.jpg}. Accepts the dataset root or its
 * {@code data/} folder.
 */
public final class AircraftDataset {
  private AircraftDataset() {}

  public static ImageDataset load(Path path) throws IOException {
    Path root = Files.isRegularFile(path.resolve("variants.txt")) ? path : path.resolve("data");
    Path variantsFile = root.resolve("variants.txt");
    if (!Files.isRegularFile(variantsFile)) {
      throw new IOException("no variants.txt under " + path + " or " + path.resolve("data")
          + ": not an FGVC-Aircraft folder");
    }
    List<String> variants = Files.readAllLines(variantsFile).stream().map(String::strip).filter(s -> !s.isEmpty())
        .toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < variants.size(); i++) index.put(variants.get(i), i);
    return new ImageDataset("FGVCAircraft", variants, ZeroShotTemplates.of("FGVCAircraft"),
        split(root, "train", index), split(root, "test", index), Optional.of("FGVC-Aircraft"));
  }

  private static ImageSplit split(Path root, String which, Map<String, Integer> index) throws IOException {
    Path list = root.resolve("images_variant_" + which + ".txt");
    if (!Files.isRegularFile(list)) throw new IOException("FGVC-Aircraft: " + list + " is missing");
    List<ImageFile> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(list)) {
      lineNo++;
      String s = line.strip();
      if (s.isEmpty()) continue;
      int space = s.indexOf(' ');
      if (space < 0) throw new IOException(list + ":" + lineNo + ": expected \"<image id> <variant>\", got \"" + s + "\"");
      String variant = s.substring(space + 1).strip();
      Integer label = index.get(variant);
      if (label == null) throw new IOException(list + ":" + lineNo + ": variant '" + variant + "' is not in variants.txt");
      files.add(ImageFile.of(root.resolve("images").resolve(s.substring(0, space) + ".jpg")));
      labels.add(label);
    }
    return new ImageSplit(files, labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
