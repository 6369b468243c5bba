package io.alvlm.cli;

import io.alvlm.selection.CecStrategy;
import io.alvlm.selection.ExactNeighbors;
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
 * measured on a sample of query rows in the same run and scaled to the whole pool.
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

  @Override
  public Integer call() {
    System.out.printf("bench select: n=%d dim=%d classes=%d budget=%d k=%d inits=%d threads=%d%n",
        n, dim, classes, budget, k, inits, Runtime.getRuntime().availableProcessors());
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
    resetPeaks();

    long t0 = System.nanoTime();
    NeighborLists lists = chunkedLists(pool);
    double build = (System.nanoTime() - t0) / 1e6;
    System.out.printf("stand-in maintained lists (exact within chunks of %d): %.0f ms, not part of the query%n", chunk, build);

    CecStrategy cec = new CecStrategy(new CecStrategy.Settings(10, k, 1.0, new WeightedKMeans.Settings(inits, iterations, 1e-4)));
    Selection sel = cec.select(pool.withNeighbors(lists), budget, seed);
    var tm = sel.timingsMs();
    System.out.printf("CEC query with maintained lists: scores %.0f ms, neighbors %.0f ms, kmeans %.0f ms, total %.0f ms; "
        + "selected %d, weighted inertia %.3f%n", tm.get("scores"), tm.get("neighbors"), tm.get("kmeans"), tm.get("total"),
        sel.picks().size(), sel.objective());

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
    System.out.printf("peak heap: %.0f MiB%n", peakHeapBytes() / 1048576.0);
    return 0;
  }

  private NeighborLists chunkedLists(PoolView pool) {
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
