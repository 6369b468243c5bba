package io.alvlm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.alvlm.selection.FeaturePrecision;
import io.alvlm.config.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench pool} with no options measures the service as it ships: its knobs default to the service's defaults. */
class PoolBenchDefaultsTest {
  @Test
  void theBenchsPoolKnobsDefaultToTheServicesSettings() {
    PoolBench bench = new PoolBench();
    new CommandLine(bench).parseArgs();
    assertEquals(Settings.CEC_NEIGHBORS.defaultValue(), bench.knobs.neighbors);
    assertEquals(Integer.parseInt(Settings.CEC_NEIGHBORS_CELLS.defaultValue()), bench.knobs.cells);
    assertEquals(Integer.parseInt(Settings.CEC_NEIGHBORS_NPROBE.defaultValue()), bench.knobs.nprobe);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_INITS.defaultValue()), bench.knobs.kmeansInits);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_SAMPLED_INITS.defaultValue()), bench.knobs.kmeansSampledInits);
    assertEquals(Integer.parseInt(Settings.CEC_KMEANS_MAX_ROWS.defaultValue()), bench.knobs.kmeansRowsPerCentre);
    assertEquals(Integer.parseInt(Settings.POOL_FOLD_BATCH.defaultValue()), bench.knobs.foldBatch);
    assertEquals(Long.parseLong(Settings.POOL_FOLD_WORK.defaultValue()), bench.knobs.foldWork);
    assertEquals(Settings.POOL_FEATURES_PRECISION.defaultValue(), bench.knobs.featurePrecision);
    assertEquals(Settings.POOL_THREADS.defaultValue(), bench.knobs.threads);
    assertEquals(Settings.COMPUTE_DEVICE.defaultValue(), bench.knobs.device);
    assertEquals("auto", bench.poolHeap);
  }

  @Test
  void anAutoHeapIsOneGibibytePlusWhatEachImageHolds() {
    // a million ViT-B images past the auto threshold: fp16 rows, 1,024 + 80 + 120 bytes each
    assertEquals(((1L << 30) + 1_000_000L * 1224) / (1 << 20) + "m",
        PoolHeap.forPool(1_000_000, 512, 10, FeaturePrecision.AUTO, true));
    // exact lists keep fp32 rows under auto, and fp32 keeps them whatever the search
    assertEquals(((1L << 30) + 20_000L * 2248) / (1 << 20) + "m", PoolHeap.forPool(20_000, 512, 10, FeaturePrecision.AUTO, false));
    assertEquals(PoolHeap.forPool(20_000, 512, 10, FeaturePrecision.AUTO, false),
        PoolHeap.forPool(20_000, 512, 10, FeaturePrecision.FP32, true));
    assertEquals(PoolHeap.forPool(20_000, 512, 10, FeaturePrecision.AUTO, true),
        PoolHeap.forPool(20_000, 512, 10, FeaturePrecision.FP16, false));
  }
}
