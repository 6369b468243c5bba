package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.service.AlvlmService;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.Compute;
import io.alvlm.selection.ExactNeighbors;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.PoolView;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approximate neighbours (cec.neighbors=approximate|auto): the pool switches from exact scans to
 * probing k-means cells once it can train them, keeps recall high against exact lists, repairs
 * labels, and a restore reads cells and lists back instead of retraining or recomputing.
 */
class ApproximateNeighborsTest {
  private static final int DIM = 64;
  private static final int ROWS = 2000;
  private static final int K = 10;
  private static final BlockProduct CPU = new BlockProduct(Compute.cpu());
  private static final NeighborSearch APPROXIMATE = new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 16, 4, Long.MAX_VALUE);
  private static float[] features;

  @BeforeAll
  static void load() throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
  }

  private static float[] vector(int i) {
    return Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM);
  }

  /** What the pool processor does each tick: train cells when wanted (here inline), then fold. */
  private static void step(PoolIndex index, int batch) {
    if (index.wantsCells()) {
      index.installCells(CellIndex.train(index.cellTrainingSample(1), DIM, 16, 1, Compute.Settings.defaults()));
    }
    index.maintain(batch, CPU);
  }

  private static PoolIndex pool(NeighborSearch search, int rows) {
    PoolIndex index = new PoolIndex(DIM, K, search, FeaturePrecision.AUTO);
    for (int i = 0; i < rows; i++) {
      index.place("img" + i, index.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
      if (i % 11 == 0 && i > 0) index.setStatus(i - 3, PoolStatus.LABELED, 2);
      if (i % 50 == 49) step(index, 64);
    }
    while (!index.current() || index.neighborSearch().contains("filing")) step(index, 64);
    return index;
  }

  private static double recall(PoolIndex index) {
    PoolView v = index.snapshot(new float[20 * DIM], 20, 100f);
    int[] members = IntStream.range(0, v.rows()).filter(v::unlabelledPool).toArray();
    NeighborTable exact = ExactNeighbors.compute(v.features().toArray(), DIM, members, K);
    double hits = 0, total = 0;
    for (int r : members) {
      int[] got = v.neighbors().orElseThrow().neighbors(r);
      for (int want : exact.neighbors(r)) {
        total++;
        if (Arrays.stream(got).anyMatch(g -> g == want)) hits++;
      }
      for (int g : got) assertTrue(v.unlabelledPool(g), "row " + r + " lists " + g + ", which left the pool");
    }
    return hits / total;
  }

  @Test
  void approximateSwitchesToCellsOnceTrainableAndKeepsRecall() {
    PoolIndex index = pool(APPROXIMATE, ROWS);
    assertTrue(index.neighborSearch().startsWith("approximate (16 cells, nprobe 4)"), index.neighborSearch());
    assertTrue(index.workPerFold() < (long) index.size() * DIM / 2, "a fold probes a quarter of the cells, not the pool");
    double recall = recall(index);
    assertTrue(recall >= 0.9 && recall < 1.0, "recall@10 against exact lists " + recall);
  }

  @Test
  void exactNeverTrainsAndAutoWaitsForItsThreshold() {
    PoolIndex exact = pool(NeighborSearch.exact(), 800);
    assertEquals("exact", exact.neighborSearch());
    assertEquals(1.0, recall(exact), 1e-12);
    // auto: 700 members x 64 = 44,800 multiply-adds per arrival; switches past 40,000, not before
    NeighborSearch autoLow = new NeighborSearch(NeighborSearch.Mode.AUTO, 16, 4, 40_000);
    NeighborSearch autoHigh = new NeighborSearch(NeighborSearch.Mode.AUTO, 16, 4, 50_000);
    assertTrue(pool(autoLow, 800).neighborSearch().startsWith("approximate"));
    assertEquals("exact", pool(autoHigh, 800).neighborSearch());
  }

  @Test
  void aRestoreReadsCellsAndListsBackAndNewArrivalsAreFiled() {
    PoolIndex index = pool(APPROXIMATE, 1500);
    CellIndex cells = index.cells().orElseThrow();
    byte[][] centroids = new byte[cells.cells()][];
    for (int c = 0; c < centroids.length; c++) centroids[c] = cells.encodeCentroid(c);

    PoolIndex restored = new PoolIndex(DIM, K, APPROXIMATE, FeaturePrecision.AUTO);
    restored.installCells(CellIndex.read(c -> c < centroids.length ? centroids[c] : null).orElseThrow());
    for (int r = 0; r < index.size(); r++) {
      PoolStatus s = index.status(r);
      restored.place(index.id(r), r, vector(r), s, s == PoolStatus.LABELED ? 2 : -1, index.encodedList(r));
    }
    restored.restored();
    assertTrue(restored.current());
    assertTrue(restored.neighborSearch().startsWith("approximate"), "no refiling: " + restored.neighborSearch());
    for (int r = 0; r < index.size(); r++) {
      assertEquals(cells.cellOf(r), restored.cells().orElseThrow().cellOf(r), "cell of row " + r);
      assertArrayEquals(index.encodedList(r), restored.encodedList(r), "stored bytes of row " + r);
    }
    // both take the same 500 arrivals: identical lists
    for (PoolIndex p : new PoolIndex[] {index, restored}) {
      for (int i = 1500; i < ROWS; i++) p.place("img" + i, p.nextRow(), vector(i), PoolStatus.UNLABELED, -1, null);
      while (!p.current()) p.maintain(64, CPU);
    }
    for (int r = 0; r < ROWS; r++) {
      assertArrayEquals(index.encodedList(r), restored.encodedList(r), "row " + r + " after the same arrivals");
      assertTrue(restored.cells().orElseThrow().cellOf(r) >= 0, "row " + r + " is filed");
    }
    assertTrue(recall(restored) >= 0.9);
  }

  private static boolean allHalves(PoolIndex index) {
    for (int r = 0; r < index.size(); r++) {
      for (float x : index.features(r)) {
        if (io.alvlm.data.Half.toFloat(io.alvlm.data.Half.fromFloat(x)) != x) return false;
      }
    }
    return true;
  }

  @Test
  void underAutoPrecisionTheRowsTurnFp16WhenCellsTakeOverAndStayFp32WhileExact() {
    assertTrue(allHalves(pool(APPROXIMATE, 1000)), "rows placed before and after the cells are fp16");
    assertFalse(allHalves(pool(NeighborSearch.exact(), 300)), "exact lists keep fp32 rows");
    PoolIndex fp32 = new PoolIndex(DIM, K, APPROXIMATE, FeaturePrecision.FP32);
    PoolIndex fp16 = new PoolIndex(DIM, K, NeighborSearch.exact(), FeaturePrecision.FP16);
    for (int i = 0; i < 1000; i++) {
      fp32.place("img" + i, i, vector(i), PoolStatus.UNLABELED, -1, null);
      fp16.place("img" + i, i, vector(i), PoolStatus.UNLABELED, -1, null);
    }
    step(fp32, 64);
    assertTrue(fp32.cells().isPresent());
    assertFalse(allHalves(fp32), "fp32 holds whatever the search");
    assertTrue(allHalves(fp16), "fp16 holds halves whatever the search");
    assertEquals(FeaturePrecision.AUTO, FeaturePrecision.parse(" Auto "));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FeaturePrecision.parse("bf16"));
    assertTrue(e.getMessage().contains("pool.features.precision=bf16"), e.getMessage());
  }

  @Test
  void modeAndKnobsAreChecked() {
    assertEquals(NeighborSearch.Mode.AUTO, NeighborSearch.Mode.parse(" Auto "));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NeighborSearch.Mode.parse("hnsw"));
    assertTrue(e.getMessage().contains("cec.neighbors=hnsw"));
    assertFalse(NeighborSearch.exact().wantsCells(10_000_000, 512));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 0, 4, 1));
    var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.of(java.util.Map.of("cec.neighbors", "faiss")));
    assertTrue(bad.getMessage().contains("cec.neighbors=faiss: want one of exact, approximate, auto"), bad.getMessage());
    NeighborSearch configured = io.alvlm.config.SelectionSettings.neighborSearch(ServiceConfig.of(java.util.Map.of("cec.neighbors", "approximate",
        "cec.neighbors.cells", "256", "cec.neighbors.nprobe", "8")));
    assertEquals(new NeighborSearch(NeighborSearch.Mode.APPROXIMATE, 256, 8, 51_200_000L), configured);
  }

  @Test
  void kmeansInitsReachTheRoundsStrategy() {
    var one = (io.alvlm.selection.CecStrategy) io.alvlm.config.SelectionSettings.strategy(ServiceConfig.of(java.util.Map.of("cec.kmeans.inits", "1")));
    var dflt = (io.alvlm.selection.CecStrategy) io.alvlm.config.SelectionSettings.strategy(ServiceConfig.of(java.util.Map.of()));
    assertEquals(1, one.settings().kmeans().inits());
    assertEquals(3, dflt.settings().kmeans().inits());
  }

  @Test
  void kmeansRowCapReachesTheRoundsStrategy() {
    var three = (io.alvlm.selection.CecStrategy) io.alvlm.config.SelectionSettings.strategy(
        ServiceConfig.of(java.util.Map.of("cec.kmeans.max-rows-per-centre", "3")));
    var dflt = (io.alvlm.selection.CecStrategy) io.alvlm.config.SelectionSettings.strategy(ServiceConfig.of(java.util.Map.of()));
    assertEquals(3, three.settings().kmeans().samplePerCentre());
    assertEquals(256, dflt.settings().kmeans().samplePerCentre());
  }
}
