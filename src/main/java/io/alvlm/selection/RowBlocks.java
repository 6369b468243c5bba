package io.alvlm.selection;

import java.util.stream.IntStream;

/**
 * Runs work over consecutive blocks of rows, in parallel on the common fork-join pool. Each block is
 * handed {@code [from, to)}; blocks must write disjoint outputs.
 */
public final class RowBlocks {
  private RowBlocks() {}

  /** Work on one block of rows. */
  @FunctionalInterface
  public interface Block {
    void run(int from, int to);
  }

  /** Splits {@code [0, rows)} into blocks of {@code size} rows and runs them, in parallel when useful. */
  public static void forEach(int rows, int size, Block work) {
    if (size <= 0) {
      throw new IllegalArgumentException("block size must be positive, got " + size);
    }
    int blocks = (rows + size - 1) / size;
    if (blocks <= 1) {
      if (rows > 0) {
        work.run(0, rows);
      }
      return;
    }
    IntStream.range(0, blocks).parallel().forEach(b -> work.run(b * size, Math.min(rows, (b + 1) * size)));
  }
}
