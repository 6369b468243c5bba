package io.alvlm.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A plain image folder tree, {@code root/<class>/<image>.(jpg|jpeg|png|webp|tif|tiff|bmp|gif)}: classes are the
 * sub-folders in name order, and each class's images (sorted by path) are split into pool and test
 * by a seeded shuffle, {@code testFraction} of each class to test (at least one when a class has two
 * or more images).
 */
public final class FolderDataset {
  private FolderDataset() {}

  public static ImageDataset load(Path root, double testFraction, long splitSeed) throws IOException {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
    }
    if (!Files.isDirectory(root)) throw new IOException(root + " is not a folder");
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).sorted().toList();
    }
    if (classDirs.isEmpty()) throw new IOException(root + " has no class sub-folders (want root/<class>/<image>)");
    Random rnd = new Random(splitSeed);
    List<ImageFile> train = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    List<ImageFile> test = new ArrayList<>();
    List<Integer> testLabels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classDirs.size(); k++) {
      names.add(classDirs.get(k).getFileName().toString().replace('_', ' '));
      List<Path> images;
      try (Stream<Path> s = Files.walk(classDirs.get(k))) {
        images = new ArrayList<>(s.filter(Files::isRegularFile).filter(FolderDataset::isImage).sorted().toList());
      }
      Collections.shuffle(images, rnd);
      int nTest = images.size() < 2 ? 0 : Math.max(1, (int) Math.round(images.size() * testFraction));
      for (int i = 0; i < images.size(); i++) {
        boolean toTest = i < nTest;
        (toTest ? test : train).add(ImageFile.of(images.get(i)));
        (toTest ? testLabels : trainLabels).add(k);
      }
    }
    return new ImageDataset(root.toAbsolutePath().normalize().getFileName().toString(), names,
        ZeroShotTemplates.DEFAULT, new ImageSplit(train, ints(trainLabels)), new ImageSplit(test, ints(testLabels)),
        Optional.empty());
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp") || n.endsWith(".tif")
        || n.endsWith(".tiff") || n.endsWith(".bmp") || n.endsWith(".gif");
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }
}
