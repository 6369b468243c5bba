package io.alvlm.pool;

import io.alvlm.selection.CellIndex;

/**
 * Where {@link NeighborMaintenance} puts what a fold changed: the changelogged {@link NeighborStore} in
 * the pool task; {@link #NONE} for the engine alone ({@link PoolEngine}), whose lists stay in its index.
 */
interface NeighborWrites {
  /** Writes nothing, and says every list's cell numbers hold. */
  NeighborWrites NONE = new NeighborWrites() {
    @Override
    public void putList(int row, byte[] list) {}

    @Override
    public void putCells(CellIndex c) {}

    @Override
    public int stampedBelow() {
      return Integer.MAX_VALUE;
    }

    @Override
    public void putStampedBelow(int row) {}
  };

  /** {@code row}'s encoded neighbour list, as {@link PoolIndex#encodedList} gives it. */
  void putList(int row, byte[] list);

  /** The cells' centroids. */
  void putCells(CellIndex c);

  /** Row below which the stored lists' cell numbers are those of the stored cells; {@link Integer#MAX_VALUE}: every row. */
  int stampedBelow();

  void putStampedBelow(int row);
}
