package io.alvlm.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a dataset named as {@code KIND:PATH}: {@code coop:DIR} (a {@code split_zhou_*.json} and its
 * image folder), {@code aircraft:DIR} (FGVC-Aircraft), {@code folder:DIR} ({@code class/image} tree,
 * split by seed) or {@code fashion-mnist[:DIR]} (IDX files; default the Debian package's folder).
 */
public final class DatasetSpec {
  private DatasetSpec() {}

  /**
   * @param testFraction share of each class that {@code folder:} puts in the test split
   * @param splitSeed seed of the {@code folder:} split
   */
  public static ImageDataset open(String spec, double testFraction, long splitSeed) throws IOException {
    int colon = spec.indexOf(':');
    String kind = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
    String path = colon < 0 ? "" : spec.substring(colon + 1);
    if (path.isEmpty() && !kind.equals("fashion-mnist")) {
      throw new IllegalArgumentException("dataset '" + spec + "' needs a path: " + kind + ":PATH");
    }
    return switch (kind) {
      case "coop" -> CoopSplitDataset.load(Path.of(path));
      case "aircraft", "fgvc-aircraft" -> AircraftDataset.load(Path.of(path));
      case "folder" -> FolderDataset.load(Path.of(path), testFraction, splitSeed);
      case "fashion-mnist" -> FashionMnistDataset.load(path.isEmpty() ? FashionMnistDataset.DEBIAN : Path.of(path));
      default -> throw new IllegalArgumentException("unknown dataset kind '" + kind
          + "'; valid: coop:DIR, aircraft:DIR, folder:DIR, fashion-mnist[:DIR]");
    };
  }
}
