package io.alvlm.selection;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The cell-probing half of {@link MaintainedNeighbors}' scans (approximate search): each cell's
 * members against the queries that probe it, one product per cell. The probed cells' rows and their
 * queries are staged for the engine in direct memory, kept from one scan to the next, since a direct
 * buffer dropped is only freed when a collection finds it, and a fold stages most of the pool, cell
 * by cell; the products array is kept likewise (grown to fit, it was reallocated many times a fold).
 * Used by the thread that owns the lists (one fold job at a time).
 */
final class CellScan {
  /** Takes the products {@code out} ({@code [qn, w]}, row-major) of queries {@code qi[0..qn)} against rows {@code cols[0..w)}. */
  interface Sink {
    void offer(int[] qi, int qn, int[] cols, int w, float[] out);
  }

  private ByteBuffer stagedRows;
  private ByteBuffer stagedQueries;
  private float[] cellProducts = new float[0];

  /**
   * Offers {@code sink} the products of each probed cell's member rows (below {@code rows}) against
   * the queries {@code q} ({@code [b, dim]}) that probe it among their {@code nprobe} nearest cells.
   */
  void scan(CellIndex cells, int nprobe, FeatureRows features, int rows, IntPredicate member, float[] q,
      BlockProduct products, Sink block) {
    int dim = features.dim();
    int b = q.length / dim;
    int[][] probes = cells.probe(q, b, nprobe, products);
    int[] probing = new int[cells.cells()];
    for (int[] p : probes) for (int c : p) probing[c]++;
    int[][] byCell = new int[cells.cells()][];
    for (int c = 0; c < byCell.length; c++) if (probing[c] > 0) byCell[c] = new int[probing[c]];
    Arrays.fill(probing, 0);
    for (int i = 0; i < b; i++) for (int c : probes[i]) byCell[c][probing[c]++] = i;
    ByteBuffer qs = stagedQueries;
    ByteBuffer xs = stagedRows;
    float[] out = cellProducts;
    int[] cols = new int[0];
    for (int c = 0; c < byCell.length; c++) {
      if (byCell[c] == null) continue;
      int[] cellRows = cells.rows(c);
      int m = 0;
      if (cols.length < cells.size(c)) cols = new int[cells.size(c)];
      for (int t = 0; t < cells.size(c); t++) {
        int r = cellRows[t];
        if (r < rows && member.test(r)) cols[m++] = r;
      }
      if (m == 0) continue;
      int[] qi = byCell[c];
      xs = BlockProduct.buffer(xs, (long) m * dim);
      if (features.half()) {
        java.nio.ShortBuffer xv = xs.asShortBuffer();
        for (int t = 0; t < m; t++) features.copyHalfRow(cols[t], xv, t * dim);
      } else {
        FloatBuffer xv = xs.asFloatBuffer();
        for (int t = 0; t < m; t++) features.copyRow(cols[t], xv, t * dim);
      }
      qs = BlockProduct.buffer(qs, (long) qi.length * dim);
      FloatBuffer qv = qs.asFloatBuffer();
      for (int t = 0; t < qi.length; t++) qv.put(t * dim, q, qi[t] * dim, dim);
      if (out.length < qi.length * m) out = new float[Math.max(qi.length * m, out.length + (out.length >> 1))];
      if (features.half()) {
        products.multiplyHalf(qs, qi.length, xs, m, dim, out);
      } else {
        products.multiply(qs, qi.length, xs, m, dim, out);
      }
      block.offer(qi, qi.length, cols, m, out);
    }
    stagedQueries = qs;
    stagedRows = xs;
    cellProducts = out;
  }
}
