package io.alvlm.eval;

import io.alvlm.data.IdxDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST in its IDX files ({@code train-*} = pool, {@code t10k-*} = test), e.g. the Debian
 * package {@code dataset-fashion-mnist} ({@code /usr/share/datasets/fashion-mnist}) or the subset in
 * {@code data/fashion-mnist}. Class names come from {@code classes.txt} when the folder has one.
 * Images are served as PNG, as a producer would send them.
 */
public final class FashionMnistDataset {
  /** Zalando's label names, in label order. */
  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot");
  /** Where the Debian package installs the full set. */
  public static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnistDataset() {}

  public static ImageDataset load(Path dir) throws IOException {
    Path names = dir.resolve("classes.txt");
    List<String> classes = Files.isRegularFile(names)
        ? Files.readAllLines(names).stream().map(String::strip).filter(s -> !s.isEmpty()).toList() : CLASSES;
    return new ImageDataset("FashionMNIST", classes, ZeroShotTemplates.of("FashionMNIST"),
        split(IdxDataset.read(dir, "train"), "train"), split(IdxDataset.read(dir, "t10k"), "t10k"), Optional.empty());
  }

  private static ImageSplit split(IdxDataset idx, String prefix) {
    List<ImageFile> files = new ArrayList<>(idx.size());
    int[] labels = new int[idx.size()];
    for (int i = 0; i < idx.size(); i++) {
      int row = i;
      labels[i] = idx.label(i);
      files.add(new ImageFile() {
        @Override
        public String name() {
          return prefix + "[" + row + "]";
        }

        @Override
        public byte[] read() {
          return idx.png(row);
        }
      });
    }
    return new ImageSplit(files, labels);
  }
}
