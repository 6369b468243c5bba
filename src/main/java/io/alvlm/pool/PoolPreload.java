package io.alvlm.pool;

import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.config.ServiceConfig;
import io.alvlm.data.VectorBytes;
import java.util.function.IntFunction;

/**
 * A pool's state written in bulk, as arrivals would have left it: the images arrive at the
 * selection engine ({@link PoolEngine}: the processor's own index and fold code, inline), and each
 * store then gets what the pool's processor writes for them: the {@code pool} store an entry per
 * image ({@link PoolCodec#arrived}), {@code pool-meta} the arrivals' counter, {@code pool-neighbors}
 * each row's list with its cell and the cells' centroids, as the last fold left them. For
 * {@code bench pool --preload}; the pool task then restores it as after a takeover.
 */
public final class PoolPreload {
  /** Where the preloaded records go, store by store: a changelog's producer, or the stores themselves. */
  public interface Stores {
    /** An entry of the {@code pool} store ({@link PoolStores#POOL}). */
    void entry(String id, PoolEntry e);

    /** A counter of the {@code pool-meta} store ({@link PoolMeta#STORE}). */
    void meta(String key, long value);

    /** A record of the {@code pool-neighbors} store: a row's list or a centroid. */
    void neighbors(int key, byte[] value);
  }

  /** How long the engine took to fold the images in, and how many punctuations it took once they were in. */
  public record Folded(int images, double seconds, int ticks, String search) {}

  private PoolPreload() {}

  /**
   * Images {@code image(0)} to {@code image(n - 1)} arrive in that order at {@code arrivedAtMs}
   * (wall-clock ms), under the pool settings of {@code config}; their state goes to {@code to}.
   */
  public static Folded write(ServiceConfig config, int dim, int n, IntFunction<ImageEmbedding> image, long arrivedAtMs,
      Stores to) {
    try (PoolEngine engine = new PoolEngine(config, dim)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ImageEmbedding e = image.apply(i);
        float[] v = VectorBytes.decode(e.getVector(), e.getDim(), e.getPrecision() == VectorPrecision.FLOAT16);
        int row = engine.arrive(e.getId(), v);
        to.entry(e.getId(), PoolCodec.arrived(e, row, arrivedAtMs));
      }
      int ticks = engine.settle();
      Folded folded = new Folded(n, (System.nanoTime() - t0) / 1e9, ticks, engine.index().neighborSearch());
      PoolMeta.afterArrivals(n).forEach(to::meta);
      PoolIndex index = engine.index();
      for (int r = 0; r < index.size(); r++) to.neighbors(r, index.encodedList(r));
      index.cells().ifPresent(c -> NeighborStore.centroids(c, to::neighbors));
      return folded;
    }
  }
}
