package io.alvlm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDatasetsTest {
  @TempDir Path dir;

  /** A DTD-like CoOp layout: dtd/images/<class>/<file>.jpg and split_zhou_DescribableTextures.json. */
  static Path writeCoopLayout(Path root, String splitName, String imageFolder, List<String> classes, int trainPer,
      int testPer) throws IOException {
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    for (int k = 0; k < classes.size(); k++) {
      String folder = classes.get(k).replace(' ', '_');
      for (int i = 0; i < trainPer + testPer; i++) {
        String rel = folder + "/" + folder + "_" + i + ".jpg";
        TinyImages.write(root.resolve(imageFolder).resolve(rel), k, i);
        StringBuilder sb = i < trainPer ? train : test;
        if (sb.length() > 0) sb.append(", ");
        sb.append("[\"").append(rel).append("\", ").append(k).append(", \"").append(folder).append("\"]");
      }
    }
    Files.writeString(root.resolve("split_zhou_" + splitName + ".json"),
        "{\"train\": [" + train + "], \"val\": [], \"test\": [" + test + "]}");
    return root;
  }

  @Test
  void readsCoopSplitWithRenamedClassesTemplatesAndPaperName() throws Exception {
    Path root = writeCoopLayout(dir.resolve("dtd"), "DescribableTextures", "images", List.of("banded", "polka dotted"),
        3, 2);
    ImageDataset ds = CoopSplitDataset.load(root);
    assertEquals("DescribableTextures", ds.name());
    assertEquals(List.of("banded", "polka dotted"), ds.classNames());
    assertEquals(8, ds.templates().size());
    assertTrue(ds.templates().get(0).contains("{}"));
    assertEquals(Optional.of("DTD"), ds.paperDataset());
    assertEquals(6, ds.train().size());
    assertEquals(4, ds.test().size());
    assertArrayEquals(new int[] {0, 0, 1, 1}, ds.test().labels());
    assertNotNull(new ImageDecoder(1_000_000).decode(ds.train().images().get(0).read()));
    // the JSON file itself is accepted too
    assertEquals(ds.classNames(), CoopSplitDataset.load(root.resolve("split_zhou_DescribableTextures.json")).classNames());
  }

  @Test
  void missingCoopImageSaysWhichFile() throws Exception {
    Path root = writeCoopLayout(dir.resolve("eurosat"), "EuroSAT", "2750", List.of("Forest", "River"), 2, 1);
    Files.delete(root.resolve("2750/Forest/Forest_0.jpg"));
    ImageDataset ds = CoopSplitDataset.load(root);
    IOException e = assertThrows(IOException.class, () -> ds.train().images().get(0).read());
    assertTrue(e.getMessage().contains("Forest_0.jpg"), e.getMessage());
  }

  @Test
  void readsAircraftVariantsWithSpaces() throws Exception {
    Path data = dir.resolve("fgvc_aircraft");
    Files.createDirectories(data);
    Files.write(data.resolve("variants.txt"), List.of("707-320", "Cessna 172", "F-16A/B"));
    Files.write(data.resolve("images_variant_train.txt"), List.of("0034309 707-320", "0034958 Cessna 172",
        "0037511 F-16A/B", "0037512 Cessna 172"));
    Files.write(data.resolve("images_variant_val.txt"), List.of("0040001 707-320"));
    Files.write(data.resolve("images_variant_test.txt"), List.of("0045001 F-16A/B", "0045002 707-320"));
    for (String id : List.of("0034309", "0034958", "0037511", "0037512", "0045001", "0045002")) {
      TinyImages.write(data.resolve("images/" + id + ".jpg"), id.hashCode() % 3, 1);
    }
    ImageDataset ds = DatasetSpec.open("aircraft:" + data, 0.2, 0);
    assertEquals(List.of("707-320", "Cessna 172", "F-16A/B"), ds.classNames());
    assertArrayEquals(new int[] {0, 1, 2, 1}, ds.train().labels());
    assertArrayEquals(new int[] {2, 0}, ds.test().labels());
    assertTrue(ds.train().images().get(1).name().endsWith("0034958.jpg"));
    assertEquals(Optional.of("FGVC-Aircraft"), ds.paperDataset());
    assertEquals(List.of("a photo of a {}, a type of aircraft.", "a photo of the {}, a type of aircraft."),
        ds.templates());
  }

  @Test
  void splitsAFolderTreePerClassBySeed() throws Exception {
    Path root = dir.resolve("pets");
    for (int i = 0; i < 10; i++) TinyImages.write(root.resolve("golden_retriever/g" + i + ".png"), 0, i);
    for (int i = 0; i < 5; i++) TinyImages.write(root.resolve("cat/c" + i + ".jpg"), 1, i);
    Files.writeString(root.resolve("cat/notes.txt"), "not an image");
    ImageDataset a = FolderDataset.load(root, 0.2, 7);
    assertEquals(List.of("cat", "golden retriever"), a.classNames());
    assertEquals(15, a.train().size() + a.test().size());
    assertEquals(3, a.test().size()); // 1 of 5 cats, 2 of 10 dogs
    assertEquals(names(a.test()), names(FolderDataset.load(root, 0.2, 7).test()));
    Set<String> pool = names(a.train());
    names(a.test()).forEach(t -> assertTrue(!pool.contains(t), "test image " + t + " is also in the pool"));
  }

  @Test
  void readsFashionMnistIdxFiles() throws Exception {
    ImageDataset ds = DatasetSpec.open("fashion-mnist:data/fashion-mnist", 0.2, 0);
    assertEquals(3000, ds.train().size());
    assertEquals(1000, ds.test().size());
    assertEquals(FashionMnistDataset.CLASSES, ds.classNames());
    assertEquals(28, new ImageDecoder(1_000_000).decode(ds.test().images().get(0).read()).width());
  }

  @Test
  void unknownKindListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetSpec.open("imagenet:/data", 0.2, 0));
    assertTrue(e.getMessage().contains("coop:DIR"), e.getMessage());
  }

  private static Set<String> names(ImageSplit s) {
    Set<String> out = new HashSet<>();
    s.images().forEach(i -> out.add(i.name()));
    return out;
  }
}
