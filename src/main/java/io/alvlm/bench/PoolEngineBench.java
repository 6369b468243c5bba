package io.alvlm.bench;

import io.alvlm.config.SelectionSettings;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.pool.PoolEngine;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FlatIndex;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.Selection;
import io.alvlm.selection.Vectors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench pool-engine}: the pool's folds and its round on the selection engine alone
 * ({@link PoolEngine}: the pool processor's index and fold code, no broker, no store), for a machine
 * without Kafka. The rows of {@code bench pool} (same seed, same rows) arrive one by one and are
 * folded in the pool's fold steps, inline; then one round runs as the pool's does. Reports arrivals
 * folded per second, recall@k on a sample against exact search, and the round's time and parts. The
 * baseline, in the same run: exact search of the sampled rows against the whole pool (the rows per
 * second a fold without lists or cells would manage at best).
 */
@Command(name = "pool-engine", mixinStandardHelpOptions = true,
    description = "The pool's folds and round on the selection engine alone (no broker, no store); exact search "
        + "as baseline.")
public final class PoolEngineBench implements Callable<Integer> {
  @Option(names = "--images", defaultValue = "200000", description = "Pool size (default ${DEFAULT-VALUE}).") int images;
  @Mixin PoolKnobs knobs = new PoolKnobs();

  @Override
  public Integer call() {
    ServiceConfig config = ServiceConfig.of(knobs.settings(images));
    int threads = config.get(Settings.POOL_THREADS).count();
    System.out.printf("bench pool-engine: images %d dim %d classes %d budget %d k %d; cec.neighbors=%s (cells %d, nprobe %d), "
        + "fold batch %d; features %s; device %s, pool.threads %d; load average %.2f%n", images, knobs.dim, knobs.classes,
        knobs.budget, knobs.k, knobs.neighbors, knobs.cells, knobs.nprobe, knobs.foldBatch, knobs.featurePrecision, knobs.device,
        threads, BenchDeadline.load());
    SyntheticPool pool = knobs.pool(images);
    int dim = knobs.dim;
    try (PoolEngine engine = new PoolEngine(config, dim)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < images; i++) engine.arrive("img" + i, Arrays.copyOfRange(pool.features(), i * dim, (i + 1) * dim));
      int ticks = engine.settle();
      double foldSeconds = (System.nanoTime() - t0) / 1e9;
      double fold = images / foldSeconds;
      System.out.printf("fold: %d arrivals folded in %.1f s (%d punctuations after the last): %.0f arrivals/s; neighbours %s; "
          + "load average %.2f%n", images, foldSeconds, ticks, fold, engine.index().neighborSearch(), BenchDeadline.load());

      long r0 = System.nanoTime();
      Selection round = engine.round(1, pool.text(), knobs.classes, 100f);
      double roundSeconds = (System.nanoTime() - r0) / 1e9;
      StringBuilder parts = new StringBuilder();
      new TreeMap<>(round.timingsMs()).forEach((k, v) -> parts.append(parts.length() == 0 ? "" : ", ").append(k).append(' ')
          .append(k.endsWith("_rows") || k.endsWith("_inits") ? String.format("%.0f", v) : String.format("%.0f ms", v)));
      System.out.printf("round: %d picks in %.1f s: %s%n", round.picks().size(), roundSeconds, parts);

      // in place: the rows are not read again, and a second copy is 2 GiB at a million
      float[] x = Vectors.normalizeRows(pool.features(), dim);
      int[] sampleRows = new Random(knobs.seed + 1).ints(0, images).distinct().limit(Math.min(knobs.sample, images)).sorted().toArray();
      float[] queries = new float[sampleRows.length * dim];
      for (int i = 0; i < sampleRows.length; i++) System.arraycopy(x, sampleRows[i] * dim, queries, i * dim, dim);
      NeighborTable exact;
      double exactSeconds;
      try (FlatIndex flat = FlatIndex.of(Compute.of(SelectionSettings.compute(config)), x, dim)) {
        long b0 = System.nanoTime();
        exact = flat.search(queries, sampleRows, knobs.k);
        exactSeconds = (System.nanoTime() - b0) / 1e9;
      }
      Map<Integer, ListRecall.Stored> lists = new HashMap<>();
      for (int r : sampleRows) lists.put(r, ListRecall.decode(engine.index().encodedList(r)));
      double recall = ListRecall.recall(lists, exact, sampleRows);
      double floor = sampleRows.length / exactSeconds;
      System.out.printf("baseline: exact search of %d sampled rows against all %d in %.1f s: %.0f rows/s; the fold is %.2fx of it%n",
          sampleRows.length, images, exactSeconds, floor, fold / floor);
      System.out.printf("recall@%d of the engine's lists against exact search on %d sampled rows: %.3f%n", knobs.k,
          sampleRows.length, recall);
      System.out.printf("pool-engine: images %d dim %d device %s threads %d fold %.0f/s recall@%d %.2f round %.1fs%n", images, dim,
          knobs.device, threads, fold, knobs.k, recall, roundSeconds);
    }
    return 0;
  }
}
