package io.alvlm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.coop.Accuracy;
import io.alvlm.coop.CoopConfig;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.Budget;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalPartsTest {
  @Test
  void summaryCellIsMeanAndSampleStdInPercent() {
    assertEquals("50.0 ± 10.0", SummaryReport.cell(new double[] {0.4, 0.5, 0.6}));
    assertEquals("42.0", SummaryReport.cell(new double[] {0.42}));
    assertEquals("–", SummaryReport.cell(new double[0]));
  }

  @Test
  void paperFiguresOnlyAtThePapersBudgets() {
    PaperNumbers.Figures dtd = PaperNumbers.of("DTD").orElseThrow();
    assertEquals(52.8, dtd.cec(2.0).orElseThrow());
    assertTrue(dtd.cec(3.0).isEmpty());
    assertTrue(dtd.cec(1.5).isEmpty());
    assertEquals(44.3, dtd.zeroShot());
    assertTrue(PaperNumbers.of("FashionMNIST").isEmpty());
  }

  @Test
  void cosineClassifierWithoutEpochsIsZeroShot() throws Exception {
    float[][] text = rows(Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")));
    float[][] pool = rows(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")));
    float[][] w = new CosineClassifier(pool, text, 100, CoopConfig.defaults().withEpochs(0))
        .train(new int[] {0, 1}, new int[] {0, 1}, 1);
    for (int k = 0; k < text.length; k++) assertArrayEquals(normalised(text[k]), w[k], 1e-6f);
  }

  @Test
  void cosineClassifierGradientMatchesFiniteDifferences() {
    Random rnd = new Random(3);
    float[][] pool = new float[6][5];
    float[][] text = new float[3][5];
    for (float[] r : pool) for (int j = 0; j < 5; j++) r[j] = (float) rnd.nextGaussian();
    for (float[] r : text) for (int j = 0; j < 5; j++) r[j] = (float) rnd.nextGaussian();
    int[] rows = {0, 1, 2, 3, 4, 5};
    int[] labels = {0, 1, 2, 0, 1, 2};
    int[] batch = {0, 2, 3, 5};
    CosineClassifier c = new CosineClassifier(pool, text, 5, CoopConfig.defaults());
    float[] w = new float[15];
    for (int i = 0; i < 15; i++) w[i] = (float) rnd.nextGaussian();
    float[] g = c.gradient(w, rows, labels, batch);
    double eps = 1e-3;
    for (int i = 0; i < 15; i++) {
      float[] up = w.clone();
      float[] down = w.clone();
      up[i] += (float) eps;
      down[i] -= (float) eps;
      double numeric = (loss(pool, up, labels, batch, 5) - loss(pool, down, labels, batch, 5)) / (2 * eps);
      assertEquals(numeric, g[i], 2e-3, "weight " + i);
    }
  }

  @Test
  void cosineClassifierBeatsZeroShotWithLabels() throws Exception {
    float[][] text = rows(Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")));
    float[][] all = rows(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")));
    long[] y = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data();
    float[][] pool = Arrays.copyOfRange(all, 0, 1500);
    float[][] test = Arrays.copyOfRange(all, 1500, 2000);
    int[] testLabels = new int[500];
    for (int i = 0; i < 500; i++) testLabels[i] = (int) y[1500 + i];
    int[] rows = new int[300];
    int[] labels = new int[300];
    for (int i = 0; i < 300; i++) {
      rows[i] = i * 5;
      labels[i] = (int) y[i * 5];
    }
    double zs = Accuracy.of(text, test, testLabels).top1();
    float[][] w = new CosineClassifier(pool, text, 100, CoopConfig.defaults().withEpochs(30)).train(rows, labels, 1);
    double trained = Accuracy.of(w, test, testLabels).top1();
    assertTrue(trained > zs + 0.05, "zero-shot " + zs + ", trained " + trained);
  }

  @Test
  void aWarmStartedLearnerStartsFromZeroShotOnceThenFromItsLastWeights() throws Exception {
    float[][] text = rows(Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")));
    float[][] pool = rows(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")));
    long[] y = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data();
    int[] rows = new int[200];
    int[] labels = new int[200];
    for (int i = 0; i < 200; i++) {
      rows[i] = i * 7;
      labels[i] = (int) y[i * 7];
    }
    CosineClassifier cold = new CosineClassifier(pool, text, 100, CoopConfig.defaults().withEpochs(30));
    Learner warm = cold.warmStarted(new io.alvlm.coop.WarmStart(true, 3));
    float[][] first = warm.train(rows, labels, 1);
    assertArrayEquals(cold.train(rows, labels, 1), first, "the first warm round is the from-zero one");
    float[][] second = warm.train(rows, labels, 2);
    float[][] zeroShotNormalised = new CosineClassifier(pool, text, 100, CoopConfig.defaults().withEpochs(0))
        .train(new int[0], new int[0], 0);
    assertTrue(distance(second, first) < distance(zeroShotNormalised, first) / 4,
        "3 more epochs from the last weights stay near them, not near zero-shot");
    assertEquals(Accuracy.of(first, pool, Arrays.stream(y).mapToInt(v -> (int) v).toArray()).top1(),
        Accuracy.of(second, pool, Arrays.stream(y).mapToInt(v -> (int) v).toArray()).top1(), 0.05);
  }

  @Test
  void evaluateWithWarmStartReplaysEveryStrategyBothWaysOnTheSameSeeds(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path out) throws Exception {
    float[][] text = rows(Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")));
    float[][] all = rows(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")));
    int[] y = Arrays.stream(Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data()).mapToInt(v -> (int) v).toArray();
    java.util.List<String> names = java.util.stream.IntStream.range(0, text.length).mapToObj(k -> "c" + k).toList();
    Benchmark bench = new Benchmark("cec-small", names, Arrays.copyOf(all, 1500), Arrays.copyOf(y, 1500),
        Arrays.copyOfRange(all, 1500, 2000), Arrays.copyOfRange(y, 1500, 2000), text, 100, java.util.Optional.empty());
    CoopConfig cfg = CoopConfig.defaults().withEpochs(20);
    EvaluationRun.Plan plan = new EvaluationRun.Plan(java.util.List.of("random"), java.util.Map.of(), 3,
        Budget.parse("40"), java.util.List.of(1L, 2L), java.util.Map.of("epochs", 20),
        new io.alvlm.coop.WarmStart(true, 4));
    EvaluationRun run = new EvaluationRun(bench, new CosineClassifier(bench.pool(), text, 100, cfg), plan, out,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    java.util.List<RoundResult> rows = run.run().rows();
    assertEquals(java.util.List.of("random", "random+warm"), run.arms());
    for (long seed : new long[] {1, 2}) {
      RoundResult zero = rows.stream().filter(r -> r.strategy().equals("random") && r.seed() == seed && r.round() == 1)
          .findFirst().orElseThrow();
      RoundResult warm = rows.stream().filter(r -> r.strategy().equals("random+warm") && r.seed() == seed
          && r.round() == 1).findFirst().orElseThrow();
      assertEquals(zero.top1(), warm.top1(), "round 1 of both starts from zero-shot on the same picks");
      assertEquals(3, rows.stream().filter(r -> r.strategy().equals("random+warm") && r.seed() == seed).count());
    }
    String report = WarmStartReport.write(out, "cec-small", 4, rows);
    assertTrue(report.contains("| random | 3 | 120 |"), report);
  }

  private static double distance(float[][] a, float[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) s += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
    return Math.sqrt(s);
  }

  private static double loss(float[][] pool, float[] w, int[] labels, int[] batch, float scale) {
    int c = w.length / 5;
    double total = 0;
    for (int i : batch) {
      float[] x = normalised(pool[i]);
      double[] logits = new double[c];
      for (int k = 0; k < c; k++) {
        float[] wk = normalised(Arrays.copyOfRange(w, k * 5, (k + 1) * 5));
        for (int j = 0; j < 5; j++) logits[k] += scale * x[j] * wk[j];
      }
      double z = 0;
      for (double l : logits) z += Math.exp(l);
      total += Math.log(z) - logits[labels[i]];
    }
    return total / batch.length;
  }

  private static float[] normalised(float[] v) {
    double s = 0;
    for (float x : v) s += x * x;
    float[] o = new float[v.length];
    for (int i = 0; i < v.length; i++) o[i] = (float) (v[i] / Math.sqrt(s));
    return o;
  }

  static float[][] rows(Npy.FloatArray a) {
    float[][] m = new float[a.rows()][];
    for (int i = 0; i < m.length; i++) m[i] = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    return m;
  }
}
