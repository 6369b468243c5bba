package io.alvlm.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/**
 * The pool's knobs that {@code bench pool} and {@code bench pool-engine} share (a picocli mixin), each
 * defaulting to the service's own setting, and the synthetic pool they run on.
 */
final class PoolKnobs {
  @Option(names = "--dim", defaultValue = "512", description = "Feature width (default ${DEFAULT-VALUE}).") int dim;
  @Option(names = "--classes", defaultValue = "100", description = "Classes (default ${DEFAULT-VALUE}).") int classes;
  @Option(names = "--budget", defaultValue = "1000", description = "Round budget (default ${DEFAULT-VALUE}).") int budget;
  @Option(names = "--k", defaultValue = "10", description = "Neighbours (default ${DEFAULT-VALUE}).") int k;
  @Option(names = "--sample", defaultValue = "1000", description = "Rows whose lists are checked for recall (default ${DEFAULT-VALUE}).") int sample;
  @Option(names = "--seed", defaultValue = "0", description = "Seed of the synthetic rows (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--neighbors", defaultValue = "auto", description = "cec.neighbors: exact, approximate or auto (default ${DEFAULT-VALUE}).") String neighbors;
  @Option(names = "--cells", defaultValue = "1024", description = "cec.neighbors.cells (default ${DEFAULT-VALUE}).") int cells;
  @Option(names = "--nprobe", defaultValue = "24", description = "cec.neighbors.nprobe (default ${DEFAULT-VALUE}).") int nprobe;
  @Option(names = "--kmeans-inits", defaultValue = "3", description = "cec.kmeans.inits (default ${DEFAULT-VALUE}).") int kmeansInits;
  @Option(names = "--kmeans-sampled-inits", defaultValue = "1",
      description = "cec.kmeans.sampled-inits: inits when k-means trains on a sample (default ${DEFAULT-VALUE}).") int kmeansSampledInits;
  @Option(names = "--kmeans-rows-per-centre", defaultValue = "256",
      description = "cec.kmeans.max-rows-per-centre (default ${DEFAULT-VALUE}).") int kmeansRowsPerCentre;
  @Option(names = "--fold-batch", defaultValue = "4096", description = "pool.fold.batch (default ${DEFAULT-VALUE}).") int foldBatch;
  @Option(names = "--fold-work", defaultValue = "100000000000", description = "pool.fold.max-work (default ${DEFAULT-VALUE}).") long foldWork;
  @Option(names = "--feature-precision", defaultValue = "auto",
      description = "pool.features.precision: fp32, fp16 or auto (default ${DEFAULT-VALUE}).") String featurePrecision;
  @Option(names = "--threads", defaultValue = "auto",
      description = "pool.threads: threads a fold job's scan and a round split over, or auto (default ${DEFAULT-VALUE}).") String threads;
  @Option(names = "--device", defaultValue = "auto",
      description = "compute.device: where the pool's products run, auto, cpu or gpu (default ${DEFAULT-VALUE}).") String device;

  /** The pool's settings these knobs give, for a pool of {@code images} whose one round opens once they are in. */
  Map<String, String> settings(long images) {
    Map<String, String> s = new HashMap<>();
    s.put("role", "pool");
    s.put("classes", String.join(",", classNames()));
    s.put("query.budget", Integer.toString(budget));
    s.put("query.min-new", Long.toString(images));
    s.put("cec.k", Integer.toString(k));
    s.put("cec.neighbors", neighbors);
    s.put("cec.kmeans.inits", Integer.toString(kmeansInits));
    s.put("cec.kmeans.sampled-inits", Integer.toString(kmeansSampledInits));
    s.put("cec.kmeans.max-rows-per-centre", Integer.toString(kmeansRowsPerCentre));
    s.put("cec.neighbors.cells", Integer.toString(cells));
    s.put("cec.neighbors.nprobe", Integer.toString(nprobe));
    s.put("pool.fold.batch", Integer.toString(foldBatch));
    s.put("pool.fold.max-work", Long.toString(foldWork));
    s.put("pool.features.precision", featurePrecision);
    s.put("pool.threads", threads);
    s.put("compute.device", device);
    return s;
  }

  java.util.List<String> classNames() {
    return IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
  }

  /** The bench's synthetic rows: the generator of {@code bench select}, so the same seed gives the same rows. */
  SyntheticPool pool(int images) {
    return SyntheticPool.generate(images, dim, classes, seed);
  }
}
