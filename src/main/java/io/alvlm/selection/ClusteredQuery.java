package io.alvlm.selection;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The clustering and query of cec.md §4 over a pool: weighted k-means with {@code K} centres on the
 * unlabelled rows, then for each centre the nearest not-yet-chosen eligible row of the whole pool
 * ({@link CentreQuery}, reading the rows where they lie). When the unlabelled pool holds more than
 * {@code samplePerCentre · K} rows (FAISS's {@code max_points_per_centroid}), k-means trains on a
 * uniform sample of that many, drawn from the seed, with their weights (the sample's weighted
 * objective, scaled by pool over sample size, is an unbiased estimate of the pool's). Only the training rows are put on the
 * device, read where they lie in the pool (a block at a time, never gathered whole on the host), so a
 * round at a million images adds {@code samplePerCentre · K} rows on the device and none on the heap.
 * The centres are those {@link WeightedKMeans#fit} finds for the same rows, weights, settings and seed.
 */
final class ClusteredQuery {
  /**
   * @param rows the picked pool rows, one per centre in order
   * @param centers {@code [clusters, dim]}
   * @param inertia weighted inertia of the whole unlabelled pool under the centres
   * @param trainedRows rows k-means trained on
   * @param kmeans k-means timings
   * @param uploadMs gathering the training rows and putting them on the device
   * @param queryMs the centre query
   */
  record Result(int[] rows, float[] centers, double inertia, int trainedRows, WeightedKMeans.Stats kmeans, double uploadMs,
      double queryMs) {}

  private ClusteredQuery() {}

  /** Clusters {@code poolRows} (the unlabelled pool, ascending) with {@code weights} (one per pool row given) into {@code clusters}. */
  static Result run(PoolView pool, int[] poolRows, double[] weights, int clusters, WeightedKMeans.Settings settings, long seed) {
    double[] w = WeightedKMeans.checkedWeights(weights);
    SplittableRandom root = new SplittableRandom(seed);
    int[] sample = WeightedKMeans.trainingSample(poolRows.length, clusters, settings, root);
    int[] trainRows = sample == null ? poolRows : IntStream.of(sample).map(i -> poolRows[i]).toArray();
    Compute compute = Compute.of(settings.compute());
    long t0 = System.nanoTime();
    // the training rows are read where they lie in the pool: on the host they are never gathered
    RowSubset x = RowSubset.of(pool.features(), trainRows);
    WeightedKMeans.Result km;
    long t1;
    // a sample is read by Lloyd's assignment a block at a time: on a CPU engine it stays where it lies
    // in the pool (a copy would be host memory too); the GPU gets its own copy
    boolean onHost = sample != null && !compute.device().isGpu();
    try (DeviceMatrix device = onHost ? DeviceMatrix.staged(compute, x) : DeviceMatrix.upload(compute, x)) {
      t1 = System.nanoTime();
      double[] tw = sample == null ? w : IntStream.of(sample).mapToDouble(i -> w[i]).toArray();
      km = sample == null ? WeightedKMeans.train(device, x, tw, clusters, settings, root)
          : WeightedKMeans.trainSample(device, x, tw, clusters, settings, root);
    }
    long t2 = System.nanoTime();
    double[] byRow = null;
    if (sample != null) {
      // k-means' own inertia covers the sample only: the query's pass measures the whole pool
      byRow = new double[pool.rows()];
      for (int i = 0; i < poolRows.length; i++) byRow[poolRows[i]] = w[i];
    }
    CentreQuery.Answer answer = CentreQuery.nearestEligible(compute, pool, byRow, km.centers(), clusters);
    return new Result(answer.rows(), km.centers(), sample == null ? km.inertia() : answer.inertia(), trainRows.length,
        km.stats(), CecStrategy.ms(t0, t1), CecStrategy.ms(t2, System.nanoTime()));
  }
}
