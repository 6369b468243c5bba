package io.alvlm.pool;

import io.alvlm.selection.CellIndex;
import java.util.BitSet;

/**
 * The pool's cells growing with it ({@code cec.neighbors.cells.per-sqrt}): more cells, trained on the
 * cell worker, are installed in steps as the first cells were: every row is filed under them a
 * bounded chunk per fold job (the job owns them meanwhile) while the scans go on probing the cells
 * they replace, and arrivals meanwhile are filed under both. Once every row is filed the scans switch
 * over. The stored lists carry each row's cell; after a switch they carry the old cells' numbers
 * until re-stamped, a chunk per fold job, and {@link #stampedBelow} tells a restore which rows to file
 * afresh. Owned by the pool task's thread, like {@link PoolIndex}.
 */
final class CellGrowth {
  /** Rows filed, or re-stamped, per fold job: bounds a job and the lists a step writes. */
  static final int ROWS_PER_STEP = 16_384;
  /** The cells being filled; null when none. */
  private CellIndex next;
  /** Rows placed but not filed under {@link #next} yet, those of a running job excluded. */
  private final BitSet unfiled = new BitSet();
  /** Rows below which the stored lists carry the serving cells' numbers; {@link Integer#MAX_VALUE}: all. */
  private int restamped = Integer.MAX_VALUE;

  /** Whether cells are being filled or lists re-stamped: no further re-split starts meanwhile. */
  boolean busy() {
    return next != null || restamped != Integer.MAX_VALUE;
  }

  /** Takes trained cells to fill with every row placed so far ({@code table}). */
  void install(CellIndex more, RowTable table) {
    if (busy()) throw new IllegalStateException("the pool is already re-splitting its cells");
    next = more;
    for (int r = 0; r < table.size(); r++) {
      if (table.status(r) != null) unfiled.set(r);
    }
  }

  /** The cells being filled, null when none (what a fold job files its chunk under). */
  CellIndex next() {
    return next;
  }

  /** A row placed: filed under the new cells by a later job, if cells are being filled. */
  void placed(int row) {
    if (next != null) unfiled.set(row);
  }

  /** Up to {@link #ROWS_PER_STEP} rows for the next job to file under {@link #next}. */
  int[] chunk() {
    if (next == null) return new int[0];
    int[] rows = unfiled.stream().limit(ROWS_PER_STEP).toArray();
    for (int r : rows) unfiled.clear(r);
    return rows;
  }

  /** Whether the next job has work here even without arrivals: a chunk to file or lists to re-stamp. */
  boolean pending(int rows) {
    return (next != null && !unfiled.isEmpty()) || restamped < rows;
  }

  /**
   * After a fold job that filed {@code filed} rows: the cells the scans switch to once every row is
   * filed (null while not), and a chunk of the lists to re-stamp added to {@code changed}.
   */
  CellIndex afterJob(int[] filed, BitSet changed, RowTable table) {
    CellIndex switched = null;
    if (next != null && filed.length > 0 && unfiled.isEmpty()) {
      switched = next;
      next = null;
      restamped = 0;
    }
    if (restamped < table.size()) {
      int end = Math.min(table.size(), restamped + ROWS_PER_STEP);
      for (int r = restamped; r < end; r++) {
        if (table.status(r) != null) changed.set(r);
      }
      restamped = end;
    }
    if (restamped >= table.size()) restamped = Integer.MAX_VALUE;
    return switched;
  }

  /**
   * After a restore from lists whose cell numbers hold only below {@code row} (a re-stamp was under
   * way): the lists from there on are written again, a chunk per fold job, as their rows are filed anew.
   */
  void restampFrom(int row) {
    restamped = row;
  }

  /** A fold job failed: its chunk waits again. */
  void abandoned(int[] filed) {
    for (int r : filed) unfiled.set(r);
  }

  /** Rows below which the stored lists carry the stored cells' numbers ({@link Integer#MAX_VALUE}: every row). */
  int stampedBelow() {
    return restamped;
  }

  /** {@code , filing N rows into C cells} while cells are filled, for status lines. */
  String progress() {
    return next == null ? "" : ", filing " + unfiled.cardinality() + " rows into " + next.cells() + " cells";
  }
}
