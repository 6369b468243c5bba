package io.alvlm.cli;

import io.alvlm.selection.CecStrategy;
import io.alvlm.selection.DjlProducts;
import io.alvlm.selection.ExactNeighbors;
import io.alvlm.selection.MatrixProducts;
import io.alvlm.selection.NeighborLists;
import io.alvlm.selection.PoolView;
import io.alvlm.selection.Selection;
import io.alvlm.selection.WeightedKMeans;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alvlm bench select}: one CEC query on synthetic CLIP-like features, phase by phase, with the
 * neighbour phase served by maintained lists (as the service does), against exact kNN from scratch
 * measured on a sample of query rows in the same run and scaled to the whole pool. In the same run: the
 * k-means phase with the configured products and bounds against the plain pure-Java path on a sample
 * of the pool, and a service round (maintained lists) against the same round from scratch.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = "Time a CEC query (scores, neighbours, k-means, total) and peak heap on synthetic features.")
final class SelectBench implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "100000") int n;
  @Option(names = "--dim", defaultValue = "512") int dim;
  @Option(names = "--classes", defaultValue = "100") int classes;
  @Option(names = "--budget", defaultValue = "1000") int budget;
  @Option(names = "--k", defaultValue = "10") int k;
  @Option(names = "--inits", defaultValue = "1", description = "k-means inits (default ${DEFAULT-VALUE}, as scikit-learn's n_init='auto' for k-means++)") int inits;
  @Option(names = "--iterations", defaultValue = "100") int iterations;
  @Option(names = "--seed", defaultValue = "0") long seed;
  @Option(names = "--scratch-sample", defaultValue = "500", description = "query rows timed for exact kNN from scratch") int sample;
  @Option(names = "--chunk", defaultValue = "1000", description = "stand-in maintained lists: exact kNN within chunks of this many rows") int chunk;
  @Option(names = "--products", defaultValue = "auto", description = "k-means products: auto, java or djl (default ${DEFAULT-VALUE})") String products;
  @Option(names = "--bounds", defaultValue = "true", arity = "1", description = "Hamerly bounds and batched seeding (default ${DEFAULT-VALUE})") boolean bounds;
  @Option(names = "--baseline-fraction", defaultValue = "0.2", description = "rows and clusters of the sample on which the plain pure-Java k-means is timed (0 skips)") double baselineFraction;
  @Option(names = "--round-n", defaultValue = "50000", description = "pool size of the maintained-vs-scratch round (0 skips)") int roundN;
  @Option(names = "--round-budget", defaultValue = "500") int roundBudget;

  private double baselineScale;

  @Override
  public Integer call() {
    System.out.printf("bench select: n=%d dim=%d classes=%d budget=%d k=%d inits=%d iterations=%d threads=%d; load average %.2f%n",
        n, dim, classes, budget, k, inits, iterations, Runtime.getRuntime().availableProcessors(), load());
    Random r = new Random(seed);
    float[] text = new float[classes * dim];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    // CLIP-like: each image sits between its class and a confusable one, under heavy noise, so that
    // zero-shot predictions range from confident to ambiguous (as in real pools)
    float[] t = io.alvlm.selection.Vectors.normalizedRows(text, dim);
    float[] f = new float[n * dim];
    double noise = 0.9 / Math.sqrt(dim);
    for (int i = 0; i < n; i++) {
      int c = Math.min(classes - 1, (int) (classes * Math.pow(r.nextDouble(), 1.5)));
      int c2 = r.nextInt(classes);
      double a = 0.3, b = 0.3 * r.nextDouble();
      for (int d = 0; d < dim; d++) {
        f[i * dim + d] = (float) (a * t[c * dim + d] + b * t[c2 * dim + d] + noise * r.nextGaussian());
      }
    }
    PoolView pool = PoolView.unlabeled(f, dim, text, 100f);
    f = null;
    WeightedKMeans.Settings fast = new WeightedKMeans.Settings(inits, iterations, 1e-4, MatrixProducts.Kind.parse(products), bounds);
    // the sample and the round use the products the full-size query gets, so that sizes compare like with like
    fast = fast.withProducts(WeightedKMeans.products(fast, n, budget, dim) instanceof DjlProducts
        ? MatrixProducts.Kind.DJL : MatrixProducts.Kind.JAVA);
    WeightedKMeans.Settings plain = fast.withProducts(MatrixProducts.Kind.JAVA).withBounds(false);
    warmUp(pool, fast, plain);
    resetPeaks();

    long t0 = System.nanoTime();
    NeighborLists lists = chunkedLists(pool);
    double build = (System.nanoTime() - t0) / 1e6;
    System.out.printf("stand-in maintained lists (exact within chunks of %d): %.0f ms, not part of the query%n", chunk, build);

    if (baselineFraction > 0) {
      baseline(pool, fast, plain);
    }
    Selection sel = cec(fast).select(pool.withNeighbors(lists), budget, seed);
    var tm = sel.timingsMs();
    System.out.printf("CEC query with maintained lists (%s): %s; selected %d, weighted inertia %.3f%n",
        describe(fast, n, budget), phases(tm), sel.picks().size(), sel.objective());

    int s = Math.min(sample, n);
    int[] all = IntStream.range(0, n).toArray();
    long t1 = System.nanoTime();
    ExactNeighbors.compute(pool.features(), dim, all, k, 0, s);
    double sampled = (System.nanoTime() - t1) / 1e6;
    double scratch = sampled * n / s;
    System.out.printf("neighbors from scratch (exact, %d query rows timed, scaled to %d): %.0f ms -> %.0f ms; "
        + "maintained lists are %.0fx faster; arrival cost ~%.2f ms/image%n",
        s, n, sampled, scratch, scratch / Math.max(1e-3, tm.get("neighbors")), sampled / s);
    System.out.printf("CEC query from scratch (estimated): %.0f ms%n", tm.get("total") - tm.get("neighbors") + scratch);

    if (baselineScale > 0) {
      System.out.printf("plain pure-Java k-means phase at full size, scaled from the sample by rows x clusters: ~%.0f ms "
          + "vs %.0f ms measured above (%.1fx)%n", baselineScale, tm.get("kmeans"), baselineScale / tm.get("kmeans"));
    }
    if (roundN > 0) {
      round(pool, fast);
    }
    System.out.printf("peak heap: %.0f MiB; load average %.2f%n", peakHeapBytes() / 1048576.0, load());
    return 0;
  }

  private CecStrategy cec(WeightedKMeans.Settings km) {
    return new CecStrategy(new CecStrategy.Settings(10, k, 1.0, km));
  }

  /** The k-means phase (clustering and centre query) with {@code fast} and {@code plain} on the same sample. */
  private void baseline(PoolView pool, WeightedKMeans.Settings fast, WeightedKMeans.Settings plain) {
    int ns = Math.max(2, (int) Math.round(n * Math.min(1, baselineFraction)));
    int bs = Math.max(1, (int) Math.round(budget * Math.min(1, baselineFraction)));
    PoolView sample = subPool(pool, ns);
    NeighborLists sl = chunkedLists(sample);
    Selection a = cec(fast).select(sample.withNeighbors(sl), bs, seed);
    Selection b = cec(plain).select(sample.withNeighbors(sl), bs, seed);
    double ta = a.timingsMs().get("kmeans"), tb = b.timingsMs().get("kmeans");
    System.out.printf("k-means phase on a sample of %d rows, %d clusters, same run: %s %.0f ms (seeding %.0f, lloyd %.0f, "
        + "query %.0f; inertia %.3f) vs plain pure Java %.0f ms (seeding %.0f, lloyd %.0f, query %.0f; inertia %.3f): "
        + "new/old = %.3f (%.1fx faster)%n", ns, bs, describe(fast, ns, bs), ta, a.timingsMs().get("kmeans_seeding"),
        a.timingsMs().get("kmeans_lloyd"), a.timingsMs().get("centre_query"), a.objective(), tb,
        b.timingsMs().get("kmeans_seeding"), b.timingsMs().get("kmeans_lloyd"), b.timingsMs().get("centre_query"),
        b.objective(), ta / tb, tb / ta);
    baselineScale = tb * (double) n * budget / ((double) ns * bs);
  }

  /** Loads the engine and compiles the kernels of both paths on a small slice; not timed. */
  private void warmUp(PoolView pool, WeightedKMeans.Settings fast, WeightedKMeans.Settings plain) {
    int rows = Math.min(n, 2000);
    float[] x = java.util.Arrays.copyOf(pool.features(), rows * dim);
    double[] w = new double[rows];
    java.util.Arrays.fill(w, 1);
    int c = Math.max(1, Math.min(rows, 50));
    WeightedKMeans.fit(x, dim, w, c, new WeightedKMeans.Settings(1, 3, 0, fast.products(), true), seed);
    WeightedKMeans.fit(x, dim, w, c, new WeightedKMeans.Settings(1, 3, 0, plain.products(), false), seed);
    System.out.printf("warm-up: one small k-means per path (engine load, JIT), not timed%n");
  }

  /** A service round on the first {@code roundN} rows: maintained lists against kNN from scratch. */
  private void round(PoolView pool, WeightedKMeans.Settings fast) {
    int rn = Math.min(roundN, n);
    int rb = Math.min(roundBudget, rn);
    PoolView p = subPool(pool, rn);
    NeighborLists pl = chunkedLists(p);
    Selection s = cec(fast).select(p.withNeighbors(pl), rb, seed);
    var t = s.timingsMs();
    int q = Math.min(sample, rn);
    long t0 = System.nanoTime();
    ExactNeighbors.compute(p.features(), dim, IntStream.range(0, rn).toArray(), k, 0, q);
    double knn = (System.nanoTime() - t0) / 1e6 * rn / q;
    double scratch = t.get("total") - t.get("neighbors") + knn;
    System.out.printf("round at n=%d, budget %d (%s): from maintained state (scores + gather + k-means) %.0f ms [%s]; "
        + "from scratch (exact kNN %.0f ms, extrapolated from %d timed query rows, + scores + k-means) %.0f ms; "
        + "maintained/scratch = %.3f (target <= 0.1)%n", rn, rb, describe(fast, rn, rb), t.get("total"), phases(t), knn, q,
        scratch, t.get("total") / scratch);
  }

  private PoolView subPool(PoolView pool, int rows) {
    return PoolView.unlabeled(java.util.Arrays.copyOf(pool.features(), rows * dim), dim, pool.classText(), pool.logitScale());
  }

  private String describe(WeightedKMeans.Settings s, int rows, int clusters) {
    return "products " + WeightedKMeans.products(s, rows, clusters, dim).name() + ", bounds " + s.bounds();
  }

  private static String phases(java.util.Map<String, Double> t) {
    StringBuilder b = new StringBuilder();
    for (String key : java.util.List.of("scores", "neighbors", "kmeans_seeding", "kmeans_lloyd", "centre_query", "kmeans", "total")) {
      if (t.containsKey(key)) b.append(b.length() == 0 ? "" : ", ").append(key).append(' ').append(Math.round(t.get(key))).append(" ms");
    }
    return b.toString();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private NeighborLists chunkedLists(PoolView pool) {
    int n = pool.rows();
    int chunks = (n + chunk - 1) / chunk;
    ExactNeighbors[] parts = new ExactNeighbors[chunks];
    for (int c = 0; c < chunks; c++) {
      parts[c] = ExactNeighbors.compute(pool.features(), dim, IntStream.range(c * chunk, Math.min(n, (c + 1) * chunk)).toArray(), k);
    }
    return new NeighborLists() {
      @Override
      public int[] neighbors(int row) {
        return parts[row / chunk].neighbors(row);
      }

      @Override
      public float[] similarities(int row) {
        return parts[row / chunk].similarities(row);
      }
    };
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
    }
    return sum;
  }
}
