package io.alvlm.bench;

import io.alvlm.selection.CalibratedEntropy;
import io.alvlm.selection.NeighborTable;
import io.alvlm.selection.NeighborUncertainty;
import io.alvlm.selection.ZeroShotProbabilities;
import io.alvlm.topics.TopicSnapshot;
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

  /** The last committed list of every row, from the neighbour store's changelog (centroids, keys < 0, skipped). */
  static Map<Integer, ListRecall.Stored> read(Map<String, Object> clients, String applicationId) {
    Map<Integer, ListRecall.Stored> out = new HashMap<>();
    String topic = applicationId + "-pool-neighbors-changelog";
    for (ConsumerRecord<Integer, byte[]> r : TopicSnapshot.read(clients, topic, new IntegerDeserializer(),
        new ByteArrayDeserializer(), Duration.ofMinutes(5))) {
      if (r.key() < 0 || r.value() == null) continue;
      out.put(r.key(), ListRecall.decode(r.value()));
    }
    return out;
  }

  /**
   * How far CEC's uncertainty {@code U = H + H_NN} of the sampled rows moves when their neighbour
   * entropy comes from the stored lists instead of exact ones: mean |ΔU| / mean U, with the
   * calibrated entropy of every row under the zero-shot model of the bench (prior over the whole pool).
   */
  static double uncertaintyError(Map<Integer, ListRecall.Stored> stored, NeighborTable exact, int[] sampleRows, float[] x,
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
      ListRecall.Stored st = stored.getOrDefault(r, new ListRecall.Stored(new int[0], new float[0]));
      double approx = NeighborUncertainty.uncertainty(h[r], NeighborUncertainty.neighborEntropy(st.ids(), st.sims(), h), 1.0);
      double want = NeighborUncertainty.uncertainty(h[r],
          NeighborUncertainty.neighborEntropy(exact.neighbors(i), exact.similarities(i), h), 1.0);
      diff += Math.abs(approx - want);
      base += want;
    }
    return diff / Math.max(base, 1e-300);
  }
}
