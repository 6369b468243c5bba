package io.alvlm.pool;

import io.alvlm.selection.PoolStatus;

/**
 * What {@link PoolIndex} tells about its rows by themselves: which image holds each row, its status,
 * and how many rows there are of each status (kept in a {@link RowTable}).
 */
public abstract class PoolRows {
  final int dim;
  final RowTable table = new RowTable();

  PoolRows(int dim) {
    this.dim = dim;
  }

  public int dim() {
    return dim;
  }

  /** Rows in use: one past the largest row placed. */
  public int size() {
    return table.size();
  }

  public Integer row(String id) {
    return table.row(id);
  }

  public String id(int row) {
    return table.id(row);
  }

  public PoolStatus status(int row) {
    return table.status(row);
  }

  public int count(PoolStatus s) {
    return table.count(s);
  }

  /** The row the next arrival takes. */
  public int nextRow() {
    return table.size();
  }
}
