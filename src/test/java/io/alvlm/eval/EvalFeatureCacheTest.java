package io.alvlm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.alvlm.clip.ClipModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.ShardWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalFeatureCacheTest {
  @TempDir Path dir;

  @Test
  void secondOpenEmbedsNothingAndReturnsTheSameFeatures() throws Exception {
    List<ImageFile> images = new ArrayList<>();
    for (int i = 0; i < 5; i++) images.add(ImageFile.of(TinyImages.write(dir.resolve("img/" + i + ".png"), i, i)));
    Path cacheDir = dir.resolve("cache");
    Path model = Fixtures.clipTinyModel();
    try (ClipModel clip = ClipModel.load(model)) {
      float[][] first;
      float[][][] views;
      try (FeatureCache cache = FeatureCache.open(cacheDir, clip, model)) {
        first = cache.features(images, i -> {});
        views = cache.views(images.subList(0, 2), 3);
        assertEquals(5 + 2 * 3, cache.embedded());
        assertEquals(0, cache.hits());
      }
      assertFalse(Arrays.equals(views[0][0], views[0][1]), "views of one image should differ");
      assertFalse(Arrays.equals(views[0][0], first[0]), "a view should differ from the plain feature");
      try (FeatureCache again = FeatureCache.open(cacheDir, clip, model)) {
        float[][] second = again.features(images, i -> {});
        float[][][] viewsAgain = again.views(images.subList(0, 2), 3);
        assertEquals(0, again.embedded());
        assertEquals(5 + 6, again.hits());
        for (int i = 0; i < 5; i++) assertArrayEquals(first[i], second[i]);
        assertArrayEquals(views[1][2], viewsAgain[1][2]);
      }
      // the same bytes under another name are the same image
      ImageFile copy = ImageFile.of(TinyImages.write(dir.resolve("elsewhere/copy.png"), 0, 0));
      try (FeatureCache again = FeatureCache.open(cacheDir, clip, model)) {
        assertArrayEquals(first[0], again.features(List.of(copy), i -> {})[0]);
        assertEquals(0, again.embedded());
      }
    }
  }

  /** The key covers every shard and the preprocessing, which both change the features. */
  @Test
  void modelKeyFollowsShardsAndPreprocessorConfig() throws Exception {
    Path single = Fixtures.clipTinyModel();
    Path sharded = Files.createDirectories(dir.resolve("sharded"));
    for (String f : new String[] {"config.json", "tokenizer.json"}) Files.copy(single.resolve(f), sharded.resolve(f));
    var weights = ShardWriter.readAll(single.resolve("model.safetensors"));
    ShardWriter.write(sharded, weights, 2, "F32");
    try (ClipModel clip = ClipModel.load(single)) {
      String shardedKey = FeatureCache.modelKey(clip, sharded);
      assertNotEquals(FeatureCache.modelKey(clip, single), shardedKey);
      weights.get("visual_projection.weight").data()[0] += 1;
      ShardWriter.write(sharded, weights, 2, "F32");
      String changedWeights = FeatureCache.modelKey(clip, sharded);
      assertNotEquals(shardedKey, changedWeights);
      Files.writeString(sharded.resolve("preprocessor_config.json"), "{\"resample\": 2}");
      assertNotEquals(changedWeights, FeatureCache.modelKey(clip, sharded));
    }
  }
}
