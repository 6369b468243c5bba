package io.alvlm.bench;

import io.alvlm.selection.CecStrategy;
import io.alvlm.selection.Compute;
import io.alvlm.selection.FlatIndex;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.WeightedKMeans;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench select}: one CEC query on synthetic CLIP-like features, all at the full size, in
 * one run: from scratch (scores, exact kNN on the device, k-means, centre query) phase by phase; the
 * neighbour phase against its floor, the bare block products it needs with no top-k, timed in the same
 * run; and the maintained path (the same query served by the lists the first query built, as a pool
 * that maintains them would) against the from-scratch total. Prints only what it measured.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = "Time a CEC query from scratch and from maintained lists, phase by phase, at full size; peak heap.")
public final class SelectBench implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "100000", description = "Pool images, random unit vectors (default: ${DEFAULT-VALUE}).") int n;
  @Option(names = "--dim", defaultValue = "512", description = "Feature width (default: ${DEFAULT-VALUE}).") int dim;
  @Option(names = "--classes", defaultValue = "100", description = "Classes (default: ${DEFAULT-VALUE}).") int classes;
  @Option(names = "--budget", defaultValue = "1000", description = "Images per query (default: ${DEFAULT-VALUE}).") int budget;
  @Option(names = "--k", defaultValue = "10", description = "Neighbours per image (default: ${DEFAULT-VALUE}).") int k;
  @Option(names = "--inits", defaultValue = "1", description = "k-means inits (default ${DEFAULT-VALUE})") int inits;
  @Option(names = "--iterations", defaultValue = "100", description = "Most Lloyd steps per k-means init (default: ${DEFAULT-VALUE}).") int iterations;
  @Option(names = "--sample-per-centre", defaultValue = "256", description = "k-means trains on at most this many rows per centre (default ${DEFAULT-VALUE})") int samplePerCentre;
  @Option(names = "--device", defaultValue = "auto", description = "compute.device: auto, cpu or gpu (default ${DEFAULT-VALUE})") String device;
  @Option(names = "--half", defaultValue = "false", arity = "1", description = "fp16 products on a GPU (default ${DEFAULT-VALUE})") boolean half;
  @Option(names = "--seed", defaultValue = "0", description = "Seed of the pool and the query (default: ${DEFAULT-VALUE}).") long seed;

  @Override
  public Integer call() {
    Compute.Settings compute = new Compute.Settings(Compute.Target.parse(device), half);
    System.out.printf("bench select: n=%d dim=%d classes=%d budget=%d k=%d inits=%d iterations=%d device=%s threads=%d; "
        + "load average %.2f%n", n, dim, classes, budget, k, inits, iterations, Compute.of(compute).name(),
        Runtime.getRuntime().availableProcessors(), load());
    SyntheticPool synthetic = SyntheticPool.generate(n, dim, classes, seed);
    float[] f = synthetic.features();
    float[] text = synthetic.text();
    PoolView pool = PoolView.unlabeled(f, dim, text, 100f);
    f = null;
    CecStrategy cec = new CecStrategy(new CecStrategy.Settings(10, k, 1.0,
        new WeightedKMeans.Settings(inits, iterations, 1e-4, samplePerCentre, compute)));
    warmUp(pool, cec);
    HeapPeak.reset();
    double featureMiB = (double) n * dim * 4 / 1048576.0;

    Selection scratch = cec.select(pool, budget, seed);
    var ts = scratch.timingsMs();
    System.out.printf("from scratch: %s; selected %d, weighted inertia %.3f; load average %.2f%n", phases(ts),
        scratch.picks().size(), scratch.objective(), load());

    double floor = productFloor(pool, Compute.of(compute));
    System.out.printf("neighbours: %.0f ms vs their floor, the bare symmetric block products with no top-k, %.0f ms: "
        + "%.2fx the floor%n", ts.get("neighbors"), floor, ts.get("neighbors") / floor);

    NeighborTable lists = io.alvlm.selection.ExactNeighbors.compute(pool.features().toArray(), dim, allRows(n), k);
    Selection maintained = cec.select(pool.withNeighbors(lists), budget, seed);
    var tm = maintained.timingsMs();
    System.out.printf("maintained lists: %s; maintained/scratch = %.3f; same picks as from scratch: %b%n", phases(tm),
        tm.get("total") / ts.get("total"), java.util.Arrays.equals(maintained.rows(), scratch.rows()));
    System.out.printf("peak heap: %.0f MiB = %.2fx the features (%.0f MiB); load average %.2f%n",
        HeapPeak.bytes() / 1048576.0, HeapPeak.bytes() / 1048576.0 / featureMiB, featureMiB, load());
    return 0;
  }

  /** The products the neighbour phase cannot avoid (each block pair once), timed alone. */
  private double productFloor(PoolView pool, Compute compute) {
    long t0 = System.nanoTime();
    FlatIndex.productFloor(compute, pool.features().toArray(), dim);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Loads the engine and compiles the kernels on a small slice; not timed. */
  private void warmUp(PoolView pool, CecStrategy cec) {
    int rows = Math.min(n, 2000);
    PoolView small = PoolView.unlabeled(java.util.Arrays.copyOf(pool.features().toArray(), rows * dim), dim, pool.classText(),
        pool.logitScale());
    cec.select(small, Math.min(budget, rows / 10), seed);
    System.out.printf("warm-up: one CEC query on %d rows (engine load, JIT), not timed%n", rows);
  }

  private static int[] allRows(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static String phases(java.util.Map<String, Double> t) {
    StringBuilder b = new StringBuilder();
    for (String key : java.util.List.of("scores", "upload", "neighbors", "kmeans_seeding", "kmeans_lloyd", "kmeans_assign",
        "centre_query", "kmeans", "total")) {
      if (t.containsKey(key)) b.append(b.length() == 0 ? "" : ", ").append(key).append(' ').append(Math.round(t.get(key))).append(" ms");
    }
    if (t.containsKey("kmeans_rows")) b.append(", k-means on ").append(Math.round(t.get("kmeans_rows"))).append(" rows");
    return b.toString();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
