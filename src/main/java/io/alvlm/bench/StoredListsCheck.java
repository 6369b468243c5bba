package io.alvlm.bench;

import io.alvlm.selection.CalibratedEntropy;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.NeighborUncertainty;
import io.alvlm.selection.ZeroShotProbabilities;
import io.alvlm.topics.TopicSnapshot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;

/**
 * {@code bench pool}'s check of the neighbour lists the pool stored: read back from the neighbour
 * store's changelog, their recall@k against exact lists of sampled rows, and how far CEC's
 * uncertainty moves when it is taken from them instead.
 */
final class StoredListsCheck {
  private StoredListsCheck() {}

  /** One stored neighbour list. */
  record Stored(int[] ids, float[] sims) {}

  /** The last committed list of every row, from the neighbour store's changelog (centroids, keys < 0, skipped). */
  static Map<Integer, Stored> read(Map<String, Object> clients, String applicationId) {
    Map<Integer, Stored> out = new HashMap<>();
    String topic = applicationId + "-pool-neighbors-changelog";
    for (ConsumerRecord<Integer, byte[]> r : TopicSnapshot.read(clients, topic, new IntegerDeserializer(),
        new ByteArrayDeserializer(), Duration.ofMinutes(5))) {
      if (r.key() < 0 || r.value() == null) continue;
      out.put(r.key(), decode(r.value()));
    }
    return out;
  }

  /** A list as the pool encodes it ({@code PoolIndex.encodedList}): its length, the rows, their similarities (the cell after them). */
  static Stored decode(byte[] list) {
    ByteBuffer b = ByteBuffer.wrap(list);
    int[] ids = new int[b.getInt()];
    float[] sims = new float[ids.length];
    for (int i = 0; i < ids.length; i++) ids[i] = b.getInt();
    for (int i = 0; i < ids.length; i++) sims[i] = b.getFloat();
    return new Stored(ids, sims);
  }

  /** Mean share of each sampled row's exact k neighbours found in its stored list ({@code exact} is indexed by sample). */
  static double recall(Map<Integer, Stored> stored, NeighborTable exact, int[] sampleRows) {
    double sum = 0;
    for (int i = 0; i < sampleRows.length; i++) {
      int[] want = exact.neighbors(i);
      int[] got = stored.containsKey(sampleRows[i]) ? stored.get(sampleRows[i]).ids() : new int[0];
      long hit = Arrays.stream(want).filter(w -> Arrays.stream(got).anyMatch(g -> g == w)).count();
      sum += want.length == 0 ? 1 : (double) hit / want.length;
    }
    return sum / sampleRows.length;
  }

  /**
   * How far CEC's uncertainty {@code U = H + H_NN} of the sampled rows moves when their neighbour
   * entropy comes from the stored lists instead of exact ones: mean |ΔU| / mean U, with the
   * calibrated entropy of every row under the zero-shot model of the bench (prior over the whole pool).
   */
  static double uncertaintyError(Map<Integer, Stored> stored, NeighborTable exact, int[] sampleRows, float[] x,
      SyntheticPool pool, int images, int dim, int classes) {
    int block = 20_000;
    double scale = 100;
    float[] text = io.alvlm.selection.Vectors.normalizedRows(pool.text(), dim);
    int topN = 10;
    double[][] top = new double[classes][0];
    for (int from = 0; from < images; from += block) {
      int to = Math.min(images, from + block);
      double[] p = ZeroShotProbabilities.of(Arrays.copyOfRange(x, from * dim, to * dim), to - from, dim, text, classes, scale);
      for (int c = 0; c < classes; c++) {
        double[] col = new double[top[c].length + to - from];
        System.arraycopy(top[c], 0, col, 0, top[c].length);
        for (int i = 0; i < to - from; i++) col[top[c].length + i] = p[i * classes + c];
        Arrays.sort(col);
        top[c] = Arrays.copyOfRange(col, Math.max(0, col.length - topN), col.length);
      }
    }
    double[] prior = new double[classes];
    for (int c = 0; c < classes; c++) prior[c] = Arrays.stream(top[c]).average().orElse(0);
    double[] h = new double[images];
    for (int from = 0; from < images; from += block) {
      int to = Math.min(images, from + block);
      double[] p = ZeroShotProbabilities.of(Arrays.copyOfRange(x, from * dim, to * dim), to - from, dim, text, classes, scale);
      double[] hc = CalibratedEntropy.of(p, classes, prior);
      System.arraycopy(hc, 0, h, from, to - from);
    }
    double diff = 0, base = 0;
    for (int i = 0; i < sampleRows.length; i++) {
      int r = sampleRows[i];
      Stored st = stored.getOrDefault(r, new Stored(new int[0], new float[0]));
      double approx = NeighborUncertainty.uncertainty(h[r], NeighborUncertainty.neighborEntropy(st.ids(), st.sims(), h), 1.0);
      double want = NeighborUncertainty.uncertainty(h[r],
          NeighborUncertainty.neighborEntropy(exact.neighbors(i), exact.similarities(i), h), 1.0);
      diff += Math.abs(approx - want);
      base += want;
    }
    return diff / Math.max(base, 1e-300);
  }
}
