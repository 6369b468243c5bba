package io.alvlm.pool;

import io.alvlm.selection.BlockProduct;
import io.alvlm.selection.CellIndex;
import io.alvlm.selection.FeatureRows;
import io.alvlm.selection.MaintainedNeighbors;
import java.util.BitSet;
import java.util.function.Supplier;

/**
 * What one fold job of the neighbour lists does ({@link PoolIndex#startFold}): rows to file under
 * their cells (and whether the cells then take over the scans), departed rows whose lists to repair,
 * newcomers to fold in, and how far the scans reach ({@code extent}: rows beyond it wait for a job of
 * their own).
 */
record FoldStep(int[] file, boolean thenUseCells, BitSet repair, int[] batch, int extent) {
  /**
   * The job, for the fold worker: reads {@code rows} and the {@code members} as they were when it
   * started, owns the lists and cells until the index takes them back, and returns the rows whose
   * lists changed.
   */
  Supplier<BitSet> job(FeatureRows rows, BitSet members, CellIndex cells, int nprobe, MaintainedNeighbors neighbors,
      BlockProduct products) {
    return () -> {
      BitSet changed = new BitSet();
      if (file.length > 0) {
        cells.assign(rows, file, products);
        for (int r : file) changed.set(r); // its stored bytes now carry the cell
        if (thenUseCells) neighbors.useCells(cells, nprobe);
      }
      // the scans reach only as far as rows with lists: the arrivals behind them are not compared with yet
      if (!repair.isEmpty()) changed.or(neighbors.repair(rows, extent, members::get, repair, products));
      if (batch.length > 0) changed.or(neighbors.fold(rows, extent, members::get, batch, products));
      return changed;
    };
  }
}
