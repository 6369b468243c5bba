package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.SafeTensors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptModelTest {
  @TempDir Path dir;

  static PromptModel sample(boolean csc) {
    Random r = new Random(5);
    float[] ctx = new float[(csc ? 3 : 1) * 2 * 8];
    for (int i = 0; i < ctx.length; i++) ctx[i] = (float) r.nextGaussian();
    float[] text = new float[3 * 4];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian() / 7;
    return new PromptModel("pets", 12, "openai/clip-vit-base-patch16", List.of("dog", "cat", "golden retriever"), 2, 8,
        csc, ctx, 4, text, 100f / 3, Map.of("loss", 0.1 + 0.2, "train_accuracy", 1.0 / 3),
        Instant.ofEpochMilli(1_790_000_000_123L));
  }

  @Test
  void savedModelReloadsBitIdentically() throws Exception {
    for (boolean csc : new boolean[] {false, true}) {
      PromptModel pm = sample(csc);
      Path f = dir.resolve("p" + csc + ".safetensors");
      pm.save(f);
      assertTrue(PromptModel.load(f).sameContent(pm));
    }
  }

  @Test
  void fileHoldsContextAndTextFeaturesTensors() throws Exception {
    PromptModel pm = sample(true);
    Path f = dir.resolve("p.safetensors");
    pm.save(f);
    SafeTensors st = SafeTensors.open(f);
    assertArrayEquals(new long[] {3, 2, 8}, st.entry("ctx").shape());
    assertArrayEquals(new long[] {3, 4}, st.entry("text_features").shape());
    assertArrayEquals(pm.textFeatures(), st.floats("text_features").data());
  }

  @Test
  void avroRecordRoundTrips() throws Exception {
    PromptModel pm = sample(false);
    io.alvlm.avro.PromptModel avro = pm.toAvro();
    assertEquals(pm.classNames(), avro.getClassNames());
    assertEquals(4 * pm.context().length, avro.getContext().remaining());
    assertTrue(PromptModel.fromAvro(avro).sameContent(pm));
  }

  @Test
  void refusesContextOfTheWrongSize() {
    PromptModel pm = sample(false);
    assertThrows(IllegalArgumentException.class, () -> new PromptModel("x", 0, "m", pm.classNames(), 2, 8, true,
        pm.context(), 4, pm.textFeatures(), 1f, Map.of(), Instant.now()));
  }

  @Test
  void accuracyCountsTopOneAndPerClass() {
    float[][] classes = {{1, 0}, {0, 1}, {-1, 0}};
    float[][] images = {{2, 0.1f}, {0.1f, 3}, {-1, 0.2f}, {0.9f, 0.8f}};
    Accuracy a = Accuracy.of(classes, images, new int[] {0, 1, 2, 1});
    assertEquals(0.75, a.top1());
    assertArrayEquals(new double[] {1.0, 0.5, 1.0}, a.perClass());
    assertEquals(2.5 / 3, a.meanPerClass(), 1e-12);
  }

  @Test
  void poolProbabilitiesAndTrainerAccuracyPickTheSameClassFromOneDecodedModel() {
    // text feature rows are L2-normalised, as the contract says and trained models have them
    PromptModel raw = sample(false);
    float[] text = Features.flatten(java.util.Arrays.stream(raw.classFeatures()).map(Features::normalise)
        .toArray(float[][]::new));
    PromptModel pm = PromptModel.fromAvro(new PromptModel(raw.name(), raw.version(), raw.baseModelId(),
        raw.classNames(), raw.nCtx(), raw.ctxWidth(), false, raw.context(), raw.dim(), text, raw.logitScale(),
        raw.metrics(), raw.createdAt()).toAvro());
    Random r = new Random(9);
    float[][] images = new float[50][];
    int[] labels = new int[50];
    int agree = 0;
    for (int i = 0; i < images.length; i++) {
      images[i] = Features.normalise(new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(),
          (float) r.nextGaussian(), (float) r.nextGaussian()});
      double[] p = pm.probabilities(images[i]);
      assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
      int best = 0;
      for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
      labels[i] = i % 2 == 0 ? best : (best + 1) % 3;
      if (labels[i] == best) agree++;
    }
    // labels agree with the probabilities' argmax exactly on the even rows, so accuracy must be 25/50
    assertEquals(agree / 50.0, pm.accuracy(images, labels).top1());
    assertEquals(0.5, pm.accuracy(images, labels).top1());
  }
}
