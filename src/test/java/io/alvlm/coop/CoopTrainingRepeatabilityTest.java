package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.clip.ClipModel;
import io.alvlm.data.Fixtures;
import io.alvlm.selection.WeightedKMeans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The same training gives the same model, whatever the garbage collector and other engine users do
 * meanwhile. Training once read a scalar that the collector had freed under autograd (see
 * {@link io.alvlm.data.EngineScalar}); that showed as NaN or wildly wrong contexts in a few calls
 * out of hundreds, whenever a collection landed between a forward and its backward pass. Here a
 * second thread runs CLIP inference and DJL k-means on the same engine and churns the heap, and the
 * main thread forces a collection between trainings, so collections land mid-step often.
 */
class CoopTrainingRepeatabilityTest {
  private static final int CALLS = 50;

  @Test
  void fiftyTrainingsUnderCollectionsAndConcurrentEngineUseGiveIdenticalContexts() throws Exception {
    Random r = new Random(7);
    try (ClipModel clip = ClipModel.load(Fixtures.clipTinyModel());
        ClipModel other = ClipModel.load(Fixtures.clipTinyModel())) {
      int d = clip.projectionDim();
      float[][] features = new float[120][d];
      int[] labels = new int[120];
      for (int i = 0; i < 120; i++) {
        labels[i] = i % 10;
        for (int j = 0; j < d; j++) features[i][j] = (float) r.nextGaussian();
      }
      List<String> names = new ArrayList<>();
      for (int c = 0; c < 10; c++) names.add("class " + c);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();
      AtomicInteger backgroundRounds = new AtomicInteger();
      Thread background = new Thread(() -> engineChurn(other, stop, backgroundRounds, backgroundFailure), "churn");
      background.start();
      float[] first = null;
      try {
        CoopConfig cfg = CoopConfig.defaults().withEpochs(2);
        for (int call = 0; call < CALLS; call++) {
          float[] ctx = new CoopTrainer(clip, cfg).train(features, labels, names).context();
          for (float v : ctx) assertTrue(Float.isFinite(v), "call " + call + ": non-finite context");
          if (first == null) {
            first = ctx;
          } else {
            assertArrayEquals(first, ctx, "call " + call + " trained a different context");
          }
          System.gc();
        }
      } finally {
        stop.set(true);
        background.join();
      }
      assertNull(backgroundFailure.get(), () -> "background engine work failed: " + backgroundFailure.get());
      assertTrue(backgroundRounds.get() > 0, "the background thread never ran alongside training");
    }
  }

  /** CLIP text inference and DJL k-means in a loop, plus short-lived garbage, until {@code stop}. */
  private static void engineChurn(ClipModel clip, AtomicBoolean stop, AtomicInteger rounds,
      AtomicReference<Throwable> failure) {
    Random r = new Random(11);
    int n = 2000, dim = 64;
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    WeightedKMeans.Settings km = new WeightedKMeans.Settings(1, 5, 0);
    try {
      while (!stop.get()) {
        float[][] t = clip.encodeTexts(List.of("a photo of a dog.", "a photo of a cat.", "a satellite tile."));
        for (float[] row : t) {
          for (float v : row) {
            if (!Float.isFinite(v)) throw new AssertionError("non-finite text feature in background inference");
          }
        }
        WeightedKMeans.fit(x, dim, w, 16, km, rounds.get());
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) garbage[i] = new byte[64 * 1024];
        rounds.incrementAndGet();
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }
}
