package io.alvlm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.WarmStart;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.Budget;
import io.alvlm.selection.ColdStart;
import io.alvlm.stopping.StoppingRule;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline measurement of spending labels: its parts, then whole replays on the cec-small fixture. */
class EvalLabelsTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void aCorrectionReplacesTheLabelAndEachWrongLabelHasItsWindow() {
    LabelLedger l = new LabelLedger(new int[] {0, 1, 2, 0});
    l.answer(1, 0, 2, 1); // wrong
    l.answer(0, 1, 0, 1);
    assertEquals(2, l.label(1));
    assertEquals(2, l.requested());
    assertTrue(l.flag(1, 2));
    assertFalse(l.flag(0, 2));
    l.answer(1, 1, 1, 2); // corrected
    assertEquals(1, l.label(1));
    assertEquals(List.of(0, 1), l.answeredBy(1));
    assertFalse(l.confirmed(1));
    l.answer(1, 2, 1, 3);
    assertTrue(l.confirmed(1));
    assertArrayEquals(new int[] {1, 1}, l.closedWindow(3), "the wrong label of round 1 was flagged in round 2");
    l.pseudo(3, 0);
    l.pseudo(2, 3);
    assertEquals(0, l.label(2), "a pseudo-label follows the answered row its source copies");
    assertArrayEquals(new int[] {1, 0}, l.rows(LabelLedger.ANSWERED));
    assertArrayEquals(new int[] {3, 2}, l.rows(LabelLedger.PSEUDO));
    assertEquals(1, l.wrongAnswers());
    LabelLedger back = LabelLedger.of(new int[] {0, 1, 2, 0}, l.state());
    assertArrayEquals(l.labels(), back.labels());
  }

  @Test
  void injectionAddsBurstsOfNearCopiesWithTheirSourcesLabels() {
    float[][] pool = new float[100][];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 100; i++) pool[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(), 1, 2, 3, 4, 5, 6};
    int[] y = IntStream.range(0, 100).map(i -> i % 3).toArray();
    Benchmark b = new Benchmark("b", List.of("a", "b", "c"), pool, y, pool, y, new float[3][8], 100, Optional.empty());
    DuplicateInjection d = DuplicateInjection.apply(b, 0.2, 4, 9, DuplicateInjection.noisy(pool, 0.99, 9));
    assertEquals(120, d.bench().pool().length);
    assertEquals(20, d.copies());
    for (int c = 100; c < 120; c++) {
      int s = d.source()[c];
      assertEquals(s, d.source()[100 + 4 * ((c - 100) / 4)], "bursts of four copy one image");
      assertEquals(y[s], d.bench().poolLabels()[c]);
      assertEquals(s, d.family(c));
      double cos = cosine(pool[s], d.bench().pool()[c]);
      // eight dimensions: the noise, 0.14 of the norm on average, varies a lot from copy to copy
      assertTrue(cos > 0.95 && cos < 1, "copy at cosine " + cos);
    }
    assertEquals(5, Arrays.stream(d.source()).filter(s -> s >= 0).distinct().count());
    assertEquals(100, DuplicateInjection.none(b).bench().pool().length);
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void annotatorsErrAtTheirRateAndAnswerAlikeOnReplay() {
    SimulatedAnnotators a = SimulatedAnnotators.parse("0.1, 0.3");
    assertEquals(2, a.count());
    int[] wrong = new int[2];
    for (int row = 0; row < 20000; row++) {
      for (int k = 0; k < 2; k++) {
        int ans = a.answer(5, row, row % 7, 7, k, 0);
        assertTrue(ans >= 0 && ans < 7);
        if (ans != row % 7) wrong[k]++;
        assertEquals(ans, a.answer(5, row, row % 7, 7, k, 0));
      }
    }
    assertEquals(0.1, wrong[0] / 20000.0, 0.01);
    assertEquals(0.3, wrong[1] / 20000.0, 0.015);
    assertThrows(IllegalArgumentException.class, () -> SimulatedAnnotators.parse("0.1,x"));
    assertThrows(IllegalArgumentException.class, () -> SimulatedAnnotators.parse("1"));
  }

  @Test
  void variantsParseAndName() {
    assertEquals(Variant.PLAIN, Variant.parse("plain"));
    Variant v = Variant.parse("recheck+propagate+typical");
    assertTrue(v.dedup() && v.propagate() && v.recheck());
    assertEquals(ColdStart.TYPICAL, v.coldStart());
    assertEquals("+propagate+recheck+typical", v.suffix());
    assertEquals("dedup", Variant.parse("dedup").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("dedup+fast"));
    assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    assertEquals("cec", LabelReport.plainOf("cec+dedup+recheck"));
    assertEquals("pcb:cec+warm", LabelReport.plainOf("pcb:cec+propagate+warm"));
  }

  @Test
  void aCurveFlattensWhereItsGainsStop() {
    LabelReport.Curve c = new LabelReport.Curve(new double[] {30, 60, 90, 120, 150},
        new double[] {0.50, 0.60, 0.65, 0.653, 0.655});
    assertEquals(90, c.flattened());
    assertEquals(75, c.labelsToReach(0.625), 1e-9);
    assertTrue(Double.isNaN(c.labelsToReach(0.7)));
    assertTrue(Double.isNaN(new LabelReport.Curve(new double[] {30, 60}, new double[] {0.5, 0.6}).flattened()));
  }

  private static Benchmark cecSmall() throws Exception {
    float[][] text = rows(Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")));
    float[][] all = rows(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")));
    int[] y = Arrays.stream(Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data()).mapToInt(v -> (int) v).toArray();
    List<String> names = IntStream.range(0, text.length).mapToObj(k -> "c" + k).toList();
    return new Benchmark("cec-small", names, Arrays.copyOf(all, 800), Arrays.copyOf(y, 800),
        Arrays.copyOfRange(all, 1500, 2000), Arrays.copyOfRange(y, 1500, 2000), text, 100, Optional.empty());
  }

  private static float[][] rows(Npy.FloatArray a) {
    float[][] m = new float[a.rows()][];
    for (int i = 0; i < m.length; i++) m[i] = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
    return m;
  }

  private static EvaluationRun run(Path out, int rounds, String noise, String... variants) throws Exception {
    Benchmark b = cecSmall();
    DuplicateInjection d = DuplicateInjection.apply(b, 0.25, 20, 3, DuplicateInjection.noisy(b.pool(), 0.995, 3));
    LabelSettings s = new LabelSettings(Arrays.stream(variants).map(Variant::parse).toList(), 0.97, 1, 0.25, true, 0.25, 10,
        SimulatedAnnotators.parse(noise), new StoppingRule.Settings(StoppingRule.Mode.STABLE, 0.9, 2, 0.02, 300), 10);
    EvaluationRun.Plan plan = new EvaluationRun.Plan(List.of("margin"), Map.of(), rounds, Budget.parse("40"), List.of(1L),
        Map.of("epochs", 20), WarmStart.OFF, s);
    return new EvaluationRun(d, new CosineClassifier(d.bench().pool(), b.zeroShot(), 100, CoopConfig.defaults().withEpochs(20)),
        plan, out, QUIET);
  }

  @Test
  void dedupNeverAsksANearCopyAndPropagationLabelsThem(@TempDir Path out) throws Exception {
    EvaluationRun r = run(out, 2, "0", "plain", "dedup", "propagate");
    r.run();
    assertEquals(List.of("margin", "margin+dedup", "margin+propagate"), r.arms());
    List<LabelRound> rows = LabelTable.read(out);
    assertEquals(6, rows.size());
    int plainDuplicates = rows.stream().filter(x -> x.arm().equals("margin")).mapToInt(LabelRound::duplicates).sum();
    assertTrue(plainDuplicates > 0, "margin alone asks for bursts of copies");
    for (LabelRound x : rows) {
      if (x.arm().equals("margin")) continue;
      assertEquals(0, x.duplicates(), x.toString());
      assertEquals(0, x.repeats(), x.toString());
      assertEquals(40, x.picks());
    }
    LabelRound last = rows.stream().filter(x -> x.arm().equals("margin+propagate") && x.round() == 2).findFirst().orElseThrow();
    assertTrue(last.pseudo() > 0 && last.pseudoRight() == last.pseudo(), last.toString());
    String md = LabelReport.write(out, "cec-small", r.arms(), Map.of()).toFile().exists()
        ? Files.readString(out.resolve(LabelReport.FILE)) : "";
    assertTrue(md.contains("| margin+propagate |"), md);
  }

  @Test
  void noisyAnswersAreAuditedRecheckedAndAContinuedRunAnswersAlike(@TempDir Path out) throws Exception {
    run(out.resolve("whole"), 3, "0.2,0.2,0", "plain", "recheck").run();
    run(out.resolve("cut"), 2, "0.2,0.2,0", "plain", "recheck").run();
    run(out.resolve("cut"), 3, "0.2,0.2,0", "plain", "recheck").run();
    List<LabelRound> whole = LabelTable.read(out.resolve("whole"));
    List<LabelRound> cut = LabelTable.read(out.resolve("cut"));
    assertEquals(whole.stream().map(LabelRound::toString).sorted().toList(), cut.stream().map(LabelRound::toString).sorted().toList());
    LabelRound plain3 = whole.stream().filter(x -> x.arm().equals("margin") && x.round() == 3).findFirst().orElseThrow();
    assertTrue(plain3.wrongAnswers() > 0 && plain3.rechecks() == 0);
    for (LabelRound x : whole) {
      assertTrue(x.flaggedWrong() <= x.flagged() && x.flagged() <= 40 * (x.round() - 1));
      if (x.arm().endsWith("recheck")) {
        assertTrue(x.rechecks() <= 10 && x.picks() + x.rechecks() == 40, x.toString());
        assertTrue(x.round() == 1 || x.rechecks() > 0, x.toString());
      }
      if (x.round() > 1) {
        // the annotator who never errs is rated above the two who do
        String[] a = x.agreement().split(" ");
        double a1 = Double.parseDouble(a[0].substring(3)), a3 = Double.parseDouble(a[2].substring(3));
        assertTrue(a3 > a1, x.agreement());
      }
    }
  }
}
