package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.ServiceConfig;
import io.alvlm.coop.PromptModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.ColdStart;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Strategies;
import io.alvlm.selection.Strategy;
import io.alvlm.stopping.StoppingRule;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each label-spending setting's effect on one fixed pool: the first 200 images of the cec-small fixture, each
 * followed by a near-copy (cosine about 0.995), with the fixture's class texts and true classes.
 */
class SpendingRulesTest {
  private static final int N = 200;
  private static final int DIM = 64;
  private static final int CLASSES = 20;
  private static final List<String> NAMES = IntStream.range(0, CLASSES).mapToObj(i -> "class " + i).toList();

  private final float[] text;
  private final long[] truth;
  /** Row 2i is fixture image i, row 2i + 1 its near-copy. */
  private final PoolView pool;

  SpendingRulesTest() throws IOException {
    float[] f = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
    text = Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")).data();
    truth = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data();
    float[] rows = new float[2 * N * DIM];
    Random r = new Random(5);
    for (int i = 0; i < N; i++) {
      System.arraycopy(f, i * DIM, rows, 2 * i * DIM, DIM);
      for (int d = 0; d < DIM; d++) rows[(2 * i + 1) * DIM + d] = f[i * DIM + d] + (float) (0.012 * r.nextGaussian());
    }
    pool = PoolView.unlabeled(rows, DIM, text, 100f);
  }

  private static SpendingRules rules(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("classes", String.join(",", NAMES)));
    all.putAll(settings);
    return SpendingRules.from(ServiceConfig.of(all));
  }

  private static int[] pick(Strategy s, PoolView v, int budget) {
    return s.select(v, budget, 3).rows();
  }

  private int nearPairs(int[] rows) {
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      for (int j = i + 1; j < rows.length; j++) if (pool.features().dot(rows[i], rows[j]) >= 0.97) n++;
    }
    return n;
  }

  @Test
  void defaultsAreTheMeasuredOnes() {
    SpendingRules d = rules(Map.of());
    assertEquals(Optional.of(0.97), d.dedupCosine());
    assertEquals(0.2, d.recheckShare());
    assertEquals(0.25, d.auditModelWeight());
    assertEquals(ColdStart.NONE, d.coldStart());
    assertEquals(new StoppingRule.Settings(StoppingRule.Mode.NEVER, 0.94, 3, 0.0005, 1000), d.stop());
  }

  @Test
  void aBadValueNamesItsKeyAndWhatIsAllowed() {
    Map<String, String> bad = Map.of("query.dedup.cosine", "1.5", "query.recheck.share", "1.2", "query.recheck.model-weight",
        "-0.5", "query.stop", "sometimes", "query.cold-start", "warm", "query.stop.kappa", "1.5", "query.stop.rounds", "0");
    bad.forEach((k, v) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rules(Map.of(k, v)));
      assertTrue(e.getMessage().contains(k + "=" + v + ": want"), e.getMessage());
    });
  }

  @Test
  void dedupCosineKeepsNearCopiesOutOfARound() {
    Strategy entropy = Strategies.create("entropy", Map.of());
    int[] plain = pick(rules(Map.of("query.dedup.cosine", "off")).strategyFor(pool, entropy), pool, 20);
    assertArrayEquals(pick(entropy, pool, 20), plain, "off: the strategy's own picks");
    assertTrue(nearPairs(plain) > 0, "entropy asks for both copies of an uncertain image");
    int[] deduplicated = pick(rules(Map.of()).strategyFor(pool, entropy), pool, 20);
    assertEquals(20, deduplicated.length, "turned-down picks are replaced");
    assertEquals(0, nearPairs(deduplicated));
    // a looser threshold turns down more: 0.5 keeps apart images that 0.97 lets through
    int[] loose = pick(rules(Map.of("query.dedup.cosine", "0.5")).strategyFor(pool, entropy), pool, 20);
    for (int i = 0; i < loose.length; i++) {
      for (int j = i + 1; j < loose.length; j++) assertTrue(pool.features().dot(loose[i], loose[j]) < 0.5);
    }
  }

  @Test
  void coldStartRunsWhileNothingIsLabelledOnly() {
    Strategy cec = Strategies.create("cec", Map.of());
    Map<String, String> off = Map.of("query.dedup.cosine", "off");
    int[] none = pick(rules(off).strategyFor(pool, cec), pool, 10);
    Map<String, String> typical = new HashMap<>(off);
    typical.put("query.cold-start", "typical");
    int[] typ = pick(rules(typical).strategyFor(pool, cec), pool, 10);
    assertArrayEquals(pick(Strategies.create("typical", Map.of()), pool, 10), typ);
    assertFalse(Arrays.equals(none, typ), "typical asks other images than CEC's first round");
    typical.put("query.cold-start", "class-guided");
    int[] guided = pick(rules(typical).strategyFor(pool, cec), pool, 10);
    assertTrue(zeroShotClasses(guided) >= zeroShotClasses(typ), "class-guided spreads the picks over the classes");
    // one label ends the cold start
    PoolStatus[] st = pool.status().clone();
    st[0] = PoolStatus.LABELED;
    PoolView labelled = pool.withStatus(st);
    assertArrayEquals(pick(cec, labelled, 10), pick(rules(typical).strategyFor(labelled, cec), labelled, 10));
  }

  private int zeroShotClasses(int[] rows) {
    Set<Integer> classes = new HashSet<>();
    for (int r : rows) classes.add(argmax(model().probabilities(pool.features().row(r))));
    return classes.size();
  }

  private static int argmax(double[] p) {
    int b = 0;
    for (int c = 1; c < p.length; c++) if (p[c] > p[b]) b = c;
    return b;
  }

  private PromptModel model() {
    return new PromptModel("t", 1, "fixture", NAMES, 0, 0, false, new float[0], DIM, text, 100f, Map.of(), Instant.EPOCH);
  }

  @Test
  void recheckShareCapsTheRechecksAndTheyAreTheWrongLabels() throws IOException {
    // the fixture's first 1,000 images labelled (50 a class): their true class, every 20th a wrong one
    int n = 1000;
    float[] f = Arrays.copyOf(Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data(), n * DIM);
    PoolStatus[] st = new PoolStatus[n];
    int[] labels = new int[n];
    Set<Integer> wrong = new HashSet<>();
    for (int i = 0; i < n; i++) {
      st[i] = PoolStatus.LABELED;
      labels[i] = (int) truth[i];
      if (i % 20 == 0) {
        labels[i] = (labels[i] + 7) % CLASSES;
        wrong.add(i);
      }
    }
    PoolView v = PoolView.of(f, DIM, text, 100f, st, labels);
    assertEquals(0, new LabelReview(0, 0.25).rechecks(v, model(), 20, new java.util.BitSet()).rows().length, "share 0: nothing asked again");
    LabelReview review = new LabelReview(0.2, 0.25);
    LabelReview.Found found = review.rechecks(v, model(), 20, new java.util.BitSet());
    assertEquals(4, found.rows().length, "floor(0.2 × 20)");
    long caught = Arrays.stream(found.rows()).filter(wrong::contains).count();
    assertTrue(caught >= 2, "at least half the rechecks are wrong labels (the issue's precision): " + Arrays.toString(found.rows()));
    assertTrue(found.suspects() >= found.rows().length);
    LabelReview.Found next = review.rechecks(v, model(), 20, new java.util.BitSet());
    for (int r : next.rows()) assertFalse(Arrays.stream(found.rows()).anyMatch(x -> x == r), "a label is asked again once");
    assertEquals(8, new LabelReview(0.4, 0.25).rechecks(v, model(), 20, new java.util.BitSet()).rows().length, "share 0.4 of 20");
  }


  @Test
  void propagationFindsTheNearCopiesOfPicksAndOfAnsweredImages() {
    assertEquals(Optional.of(0.97), rules(Map.of()).propagateCosine(), "on by default, at dedup's threshold");
    assertEquals(Optional.empty(), rules(Map.of("query.dedup.propagate", "false")).propagateCosine());
    assertEquals(Optional.empty(), rules(Map.of("query.dedup.cosine", "off")).propagateCosine(), "no dedup, no propagation");
    // images 0..9 answered (rows 0, 2, ..., 18); image 5's label is itself a pseudo-label, which passes nothing on
    PoolStatus[] st = new PoolStatus[2 * N];
    int[] labels = new int[2 * N];
    Arrays.fill(st, PoolStatus.UNLABELED);
    Arrays.fill(labels, -1);
    for (int i = 0; i < 10; i++) {
      st[2 * i] = PoolStatus.LABELED;
      labels[2 * i] = (int) truth[i];
    }
    java.util.BitSet pseudo = new java.util.BitSet();
    pseudo.set(2 * 5);
    st[2 * 12 + 1] = PoolStatus.PENDING; // asked already: nobody's pseudo-label
    PoolView v = new PoolView(pool.features(), pool.rows(), DIM, pool.classText(), CLASSES, 100f, st, labels,
        Optional.of(io.alvlm.selection.ExactNeighbors.compute(pool.features().toArray(), DIM, IntStream.range(0, 2 * N).toArray(), 10)),
        Optional.empty());
    // a round picks images 10..12 and the copy of 10: each pick's free near-copies wait for its answer
    List<int[]> copies = Propagation.copiesOfPicks(v, 0.97, new int[] {20, 22, 24, 21});
    assertArrayEquals(new int[0], copies.get(0), "image 10's copy is picked itself");
    assertArrayEquals(new int[] {23}, copies.get(1));
    assertArrayEquals(new int[0], copies.get(2), "image 12's copy is pending");
    assertArrayEquals(new int[0], copies.get(3), "image 10 is picked itself");
    // copies dedup turned down for copying an answered image are taken, unless the image's label is a pseudo-label
    var turnedDown = List.of(new io.alvlm.selection.NearCopy(3, 2, 0.99), new io.alvlm.selection.NearCopy(11, 10, 0.99),
        new io.alvlm.selection.NearCopy(27, 26, 0.99));
    assertEquals(List.of(turnedDown.get(0)), Propagation.find(v, 0.97, pseudo, turnedDown),
        "image 1's copy; image 5 holds a pseudo-label, image 13 no label");
    // without lists, no walk: nothing waits with the picks
    PoolView noLists = new PoolView(v.features(), v.rows(), DIM, v.classText(), CLASSES, 100f, st, labels, Optional.empty(),
        Optional.empty());
    assertArrayEquals(new int[0], Propagation.copiesOfPicks(noLists, 0.97, new int[] {22}).get(0));
  }
}
