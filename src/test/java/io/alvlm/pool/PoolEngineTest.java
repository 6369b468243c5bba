package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.config.ServiceConfig;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.selection.CellIndex;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine alone ({@link PoolEngine}, what {@code bench pool-engine} runs) against the real pool
 * sub-topology on TopologyTestDriver, its workers inline: the same 2,000 arrivals leave the same
 * lists, byte for byte, and the same cells, exact and with cells that are trained, installed and grown.
 */
class PoolEngineTest {
  static final int ROWS = 2000;
  static final int DIM = 64;
  @TempDir Path state;

  static Stream<Arguments> searches() {
    return Stream.of(
        Arguments.of("exact", Map.of("cec.neighbors", "exact")),
        // cells once 312 rows are in, grown to 18 as the pool passes 1,521
        Arguments.of("approximate (18 cells", Map.of("cec.neighbors", "approximate", "cec.neighbors.cells", "8",
            "cec.neighbors.nprobe", "2", "cec.neighbors.cells.per-sqrt", "0.5")));
  }

  /** The pool's settings for a test: the fixture's 20 classes, folds of 64 arrivals on 2 threads, no round. */
  static Map<String, String> settings(Map<String, String> search, Path stateDir) {
    Map<String, String> s = new HashMap<>(Map.of("role", "pool", "classes", String.join(",",
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "class " + i).toList()), "query.min-new", "1000000",
        "pool.fold.batch", "64", "pool.threads", "2", "state.dir", stateDir.toString()));
    s.putAll(search);
    return s;
  }

  static float[] features() throws Exception {
    return Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("searches")
  void theEngineFoldsArrivalsIntoTheListsThePoolsProcessorLeaves(String search, Map<String, String> settings) throws Exception {
    float[] x = features();
    Map<String, String> s = settings(settings, state);
    try (PoolDriver pool = new PoolDriver(ServiceConfig.of(s))) {
      pool.arrive(x, 0, ROWS);
      pool.tick(200);
      try (PoolEngine engine = new PoolEngine(ServiceConfig.of(s), DIM)) {
        for (int i = 0; i < ROWS; i++) engine.arrive("img" + i, Arrays.copyOfRange(x, i * DIM, (i + 1) * DIM));
        int ticks = engine.settle();
        assertTrue(ticks < 200, "the engine settled in " + ticks + " punctuations, the pool had 200");
        PoolIndex index = engine.index();
        assertTrue(index.neighborSearch().startsWith(search), index.neighborSearch());
        KeyValueStore<Integer, byte[]> stored = pool.neighbors();
        for (int r = 0; r < ROWS; r++) {
          byte[] list = stored.get(r);
          assertNotNull(list, "row " + r + " has a stored list");
          assertArrayEquals(list, index.encodedList(r), "row " + r + "'s list");
        }
        NeighborStore cells = new NeighborStore(stored);
        assertEquals(index.cells().map(CellIndex::cells), cells.cells().map(CellIndex::cells), "the same cells");
        if (index.cells().isPresent()) {
          for (int c = 0; c < index.cells().get().cells(); c++) {
            assertArrayEquals(cells.cells().get().encodeCentroid(c), index.cells().get().encodeCentroid(c), "cell " + c);
          }
        }
      }
    }
  }
}
