package io.alvlm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A dataset in CoOp's layout: {@code split_zhou_<Name>.json}
 * ({@code {"train"|"val"|"test": [[relative_path, label, class_name], ...]}}) beside the image
 * folder CoOp expects for that dataset ({@code dtd/images}, {@code eurosat/2750}, ...). The train
 * split is the pool, the test split the test set; val is not used. Class names are the split's own
 * (CoOp's renamed ones), underscores as spaces.
 */
public final class CoopSplitDataset {
  /** Per CoOp dataset: its image folder under the dataset root and its name in the CEC paper. */
  private record Layout(String imageFolder, String paperName) {}

  private static final Map<String, Layout> LAYOUTS = Map.of(
      "DescribableTextures", new Layout("images", "DTD"),
      "EuroSAT", new Layout("2750", "EuroSAT"),
      "OxfordFlowers", new Layout("jpg", "Flowers102"),
      "Caltech101", new Layout("101_ObjectCategories", "Caltech101"),
      "UCF101", new Layout("UCF-101-midframes", "UCF101"),
      "OxfordPets", new Layout("images", ""),
      "StanfordCars", new Layout("", ""));

  private CoopSplitDataset() {}

  /** Loads from a dataset folder holding one {@code split_zhou_*.json}, or from the JSON file itself. */
  public static ImageDataset load(Path path) throws IOException {
    Path split = Files.isDirectory(path) ? findSplit(path) : path;
    if (!Files.isRegularFile(split)) throw new IOException("no CoOp split file " + split);
    String file = split.getFileName().toString();
    String name = file.startsWith("split_zhou_") && file.endsWith(".json")
        ? file.substring("split_zhou_".length(), file.length() - ".json".length()) : file;
    Path root = split.toAbsolutePath().getParent();
    Layout layout = LAYOUTS.getOrDefault(name, new Layout("", ""));
    Path images = layout.imageFolder().isEmpty() || !Files.isDirectory(root.resolve(layout.imageFolder()))
        ? root : root.resolve(layout.imageFolder());
    JsonNode json = new ObjectMapper().readTree(split.toFile());
    TreeMap<Integer, String> names = new TreeMap<>();
    ImageSplit train = split(json, "train", images, names, split);
    ImageSplit test = split(json, "test", images, names, split);
    List<String> classNames = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      if (!names.containsKey(k)) {
        throw new IOException(split + ": no image has label " + k + " (labels must run 0.." + (names.lastKey()) + ")");
      }
      classNames.add(names.get(k));
    }
    return new ImageDataset(name, classNames, ZeroShotTemplates.of(name), train, test,
        layout.paperName().isEmpty() ? Optional.empty() : Optional.of(layout.paperName()));
  }

  private static Path findSplit(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "split_zhou_*.json")) {
      ds.forEach(found::add);
    }
    if (found.size() != 1) {
      throw new IOException(dir + " holds " + found.size() + " split_zhou_*.json files, want exactly one; "
          + "or name the JSON file itself (coop:PATH/split_zhou_X.json)");
    }
    return found.get(0);
  }

  private static ImageSplit split(JsonNode json, String key, Path images, Map<Integer, String> names, Path file)
      throws IOException {
    JsonNode rows = json.get(key);
    if (rows == null || !rows.isArray()) throw new IOException(file + " has no \"" + key + "\" list");
    List<ImageFile> files = new ArrayList<>();
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      if (!r.isArray() || r.size() < 3) {
        throw new IOException(file + ": " + key + "[" + i + "] is not [path, label, class name]");
      }
      labels[i] = r.get(1).asInt();
      String name = r.get(2).asText().replace('_', ' ');
      String before = names.putIfAbsent(labels[i], name);
      if (before != null && !before.equals(name)) {
        throw new IOException(file + ": label " + labels[i] + " is both '" + before + "' and '" + name + "'");
      }
      files.add(ImageFile.of(images.resolve(r.get(0).asText())));
    }
    return new ImageSplit(files, labels);
  }
}
