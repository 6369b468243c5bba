package io.alvlm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.alvlm.stream.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench pool} with no options measures the service as it ships: its knobs default to the service's defaults. */
class PoolBenchDefaultsTest {
  @Test
  void theBenchsPoolKnobsDefaultToTheServicesSettings() {
    PoolBench bench = new PoolBench();
    new CommandLine(bench).parseArgs();
    assertEquals(Settings.CEC_NEIGHBORS.defaultValue(), bench.neighbors);
    assertEquals(Integer.parseInt(Settings.CEC_NEIGHBORS_CELLS.defaultValue()), bench.cells);
    assertEquals(Integer.parseInt(Settings.CEC_NEIGHBORS_NPROBE.defaultValue()), bench.nprobe);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_INITS.defaultValue()), bench.kmeansInits);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_SAMPLED_INITS.defaultValue()), bench.kmeansSampledInits);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_MAX_ROWS.defaultValue()), bench.kmeansRowsPerCentre);
    assertEquals(Integer.parseInt(Settings.POOL_FOLD_BATCH.defaultValue()), bench.foldBatch);
    assertEquals(Long.parseLong(Settings.POOL_FOLD_WORK.defaultValue()), bench.foldWork);
  }
}
