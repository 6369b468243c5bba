package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool's maintained state answers a round exactly as computing it from scratch would. */
class PoolIndexTest {
  private static final int DIM = 64;
  private static final int ROWS = 400;
  private static float[] features;
  private static float[] text;
  private static final List<String> CLASSES = IntStream.range(0, 20).mapToObj(i -> "c" + i).toList();

  @BeforeAll
  static void load() throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
    text = Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")).data();
  }

  private static ModelView model(long version, float[] classText) {
    return new ModelView(version, CLASSES, classText, DIM, 100f);
  }

  /** Half the images arrive before the first model, half after; some are labelled or pending. */
  private static PoolIndex pool(ModelView m) {
    PoolIndex index = new PoolIndex(DIM, 10);
    for (int i = 0; i < ROWS; i++) {
      if (i == ROWS / 2) {
        index.rescore(m);
      }
      index.add("img" + i, Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM), PoolStatus.UNLABELED, -1);
    }
    for (int i = 0; i < ROWS; i += 9) {
      index.setStatus(i, PoolStatus.LABELED, 3);
    }
    for (int i = 4; i < ROWS; i += 13) {
      index.setStatus(i, PoolStatus.PENDING, -1);
    }
    return index;
  }

  @Test
  void aRoundFromMaintainedStateEqualsOneFromScratch() {
    ModelView m = model(0, text);
    PoolIndex index = pool(m);
    Strategy cec = Strategies.create("cec", Map.of());
    Selection maintained = cec.select(index.view(m), 15, 7);
    Selection scratch = cec.select(index.viewFromScratch(m), 15, 7);
    for (String part : List.of("entropy", "calibrated_entropy", "neighbor_entropy", "uncertainty")) {
      float[] a = maintained.rowScores().get(part);
      float[] b = scratch.rowScores().get(part);
      for (int r = 0; r < a.length; r++) {
        assertEquals(b[r], a[r], 1e-5, part + " of row " + r);
      }
    }
    assertArrayEquals(scratch.rows(), maintained.rows());
    assertArrayEquals(scratch.roundFacts().get("prior"), maintained.roundFacts().get("prior"), 1e-6f);
  }

  @Test
  void aNewModelRescoresTheWholePool() {
    ModelView first = model(0, text);
    PoolIndex index = pool(first);
    float[] reversed = new float[text.length];
    for (int c = 0; c < 20; c++) {
      System.arraycopy(text, (19 - c) * DIM, reversed, c * DIM, DIM);
    }
    ModelView second = model(1, reversed);
    Strategy entropy = Strategies.create("entropy", Map.of());
    Selection before = entropy.select(index.view(first), 5, 0);
    Selection after = entropy.select(index.view(second), 5, 0);
    Selection scratch = entropy.select(index.viewFromScratch(second), 5, 0);
    assertArrayEquals(scratch.rows(), after.rows(), "re-scored under the new model");
    PoolView v = index.view(second);
    double[] row = new double[20];
    v.probabilities().orElseThrow().copyRow(1, row, 0);
    double[] firstRow = new double[20];
    index.view(first).probabilities().orElseThrow().copyRow(1, firstRow, 0);
    assertEquals(firstRow[0], row[19], 1e-6, "class order reversed: probabilities follow the model");
    assertEquals(5, before.picks().size());
  }
}
