package io.alvlm.selection;

import java.util.Locale;

/**
 * How the pool finds each image's neighbours ({@code cec.neighbors}): {@code exact} compares with every
 * image (the paper's reading); {@code approximate} switches to inverted lists over {@code cells} k-means
 * cells, probing {@code nprobe} of them, once the pool has enough images to train the cells;
 * {@code auto} stays exact until exact maintenance would cost more than {@code autoMaxWork}
 * multiply-adds per arriving image (pool × dim), then switches as approximate does. With
 * {@code cellsPerSqrt > 0} the cells grow with the pool: it asks for {@code ⌈cellsPerSqrt · √members⌉}
 * cells (never fewer than {@code cells}) and re-splits once that is twice the cells it has, probing
 * {@code nprobe · √(cells now / cells)} of them.
 */
public record NeighborSearch(Mode mode, int cells, int nprobe, long autoMaxWork, double cellsPerSqrt) {
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
    if (!(cellsPerSqrt >= 0) || Double.isInfinite(cellsPerSqrt)) {
      throw new IllegalArgumentException("cec.neighbors.cells.per-sqrt=" + cellsPerSqrt + ": want 0 (a fixed cell count) or more");
    }
  }

  /** A fixed number of cells. */
  public NeighborSearch(Mode mode, int cells, int nprobe, long autoMaxWork) {
    this(mode, cells, nprobe, autoMaxWork, 0);
  }

  public static NeighborSearch exact() {
    return new NeighborSearch(Mode.EXACT, 1024, 32, Long.MAX_VALUE);
  }

  /** Cells a pool of {@code members} unlabelled rows should have: {@code cells}, or more as it grows. */
  public int cellsFor(int members) {
    return (int) Math.max(cells, Math.min(Integer.MAX_VALUE, Math.ceil(cellsPerSqrt * Math.sqrt(members))));
  }

  /** Whether a pool of {@code members} with {@code current} cells should re-split them (twice as many wanted). */
  public boolean wantsMoreCells(int members, int current) {
    return cellsPerSqrt > 0 && cellsFor(members) >= 2L * current && members >= (long) cellsFor(members) * CellIndex.MIN_ROWS_PER_CELL;
  }

  /**
   * Cells probed per scan when there are {@code current} cells: {@code nprobe} at {@code cells}, times
   * {@code √(current / cells)} beyond: the rows a probe reads still shrink as cells split, a little
   * less than the cells do, which holds recall (more cells, each nearer its rows, each probing fewer).
   */
  public int nprobeFor(int current) {
    return (int) Math.max(nprobe, Math.round(nprobe * Math.sqrt((double) current / cells)));
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
