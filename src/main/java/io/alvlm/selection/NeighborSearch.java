package io.alvlm.selection;

import java.util.Locale;

/**
 * How the pool finds each image's neighbours ({@code cec.neighbors}): {@code exact} compares with every
 * image (the paper's reading); {@code approximate} switches to inverted lists over {@code cells} k-means
 * cells, probing {@code nprobe} of them, once the pool has enough images to train the cells;
 * {@code auto} stays exact until exact maintenance would cost more than {@code autoMaxWork}
 * multiply-adds per arriving image (pool × dim), then switches as approximate does.
 */
public record NeighborSearch(Mode mode, int cells, int nprobe, long autoMaxWork) {
  public enum Mode {
    EXACT, APPROXIMATE, AUTO;

    public static Mode parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cec.neighbors=" + s + ": want exact, approximate or auto");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public NeighborSearch {
    if (cells < 1 || nprobe < 1 || autoMaxWork < 1) {
      throw new IllegalArgumentException("approximate neighbours need cells, nprobe and the auto threshold >= 1; got "
          + cells + ", " + nprobe + ", " + autoMaxWork);
    }
  }

  public static NeighborSearch exact() {
    return new NeighborSearch(Mode.EXACT, 1024, 32, Long.MAX_VALUE);
  }

  /** Rows the cells are trained on: {@link CellIndex#MIN_ROWS_PER_CELL} per cell at least. */
  public int trainingRows() {
    return cells * CellIndex.MIN_ROWS_PER_CELL;
  }

  /** Whether a pool of {@code members} unlabelled rows of width {@code dim} should search approximately now. */
  public boolean wantsCells(int members, int dim) {
    if (mode == Mode.EXACT || members < trainingRows()) return false;
    return mode == Mode.APPROXIMATE || (long) members * dim > autoMaxWork;
  }
}
