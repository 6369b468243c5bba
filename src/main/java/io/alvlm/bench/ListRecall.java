package io.alvlm.bench;

import io.alvlm.selection.NeighborTable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Neighbour lists as the pool encodes them, and their recall@k against exact lists: for
 * {@code bench pool} (lists read from the changelog) and {@code bench pool-engine} (lists from the
 * engine, on a machine without Kafka's jars).
 */
final class ListRecall {
  private ListRecall() {}

  /** One stored neighbour list. */
  record Stored(int[] ids, float[] sims) {}

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
}
