package io.alvlm.cli;

import io.alvlm.selection.FeaturePrecision;

/**
 * The heap a pool task needs, as the README's sizing gives it: each image's features (two bytes a value
 * once they are fp16, four while fp32), its neighbour list ({@code 8·k} bytes) and about 120 bytes of
 * id and status, plus 1 GiB for everything else (Kafka's clients and caches, a round's per-image arrays,
 * the young generation).
 */
final class PoolHeap {
  static final String RULE = "1 GiB + per image 2 bytes a feature value once fp16 (4 while fp32) + 8 bytes a neighbour + 120";
  private static final long BASE = 1L << 30;

  private PoolHeap() {}

  /**
   * {@code -Xmx} for a pool of {@code images} images of width {@code dim} and {@code k} neighbours, in
   * MiB; {@code cells}: the lists will switch to cells, so {@code auto} precision ends in fp16.
   */
  static String forPool(int images, int dim, int k, FeaturePrecision precision, boolean cells) {
    boolean half = precision == FeaturePrecision.FP16 || (precision == FeaturePrecision.AUTO && cells);
    long perImage = (half ? 2L : 4L) * dim + 8L * k + 120;
    return ((BASE + images * perImage) >> 20) + "m";
  }
}
