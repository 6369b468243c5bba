package io.alvlm.selection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Inverted lists over k-means cells, the approximate search of a growing pool (FAISS's IVF design,
 * on the engine's own k-means and block products): {@code cells} centroids trained once on a sample
 * of the pool, every row filed under its nearest centroid, and a search that compares a query only
 * with the rows of its {@code nprobe} nearest cells. Rows are the pool's row numbers; the features
 * stay with the caller. Not thread-safe.
 */
public final class CellIndex {
  /** FAISS's rule of thumb: fewer than 39 training rows per centroid gives poor cells. */
  public static final int MIN_ROWS_PER_CELL = 39;
  private static final int ASSIGN_BLOCK = 1024;

  private final int dim;
  private final int cells;
  private final float[] centroids;
  /** {@code ½‖c‖²} of each centroid: the nearest centroid of a row maximises {@code x·c − ½‖c‖²}. */
  private final double[] halfNorms;
  private int[] cellOf = new int[0];
  private int[][] members;
  private int[] sizes;

  public CellIndex(float[] centroids, int dim) {
    if (dim < 1 || centroids.length == 0 || centroids.length % dim != 0) {
      throw new IllegalArgumentException(centroids.length + " centroid values do not make rows of " + dim);
    }
    this.dim = dim;
    this.cells = centroids.length / dim;
    this.centroids = centroids.clone();
    this.halfNorms = new double[cells];
    for (int c = 0; c < cells; c++) halfNorms[c] = 0.5 * DotProducts.dot(centroids, c * dim, centroids, c * dim, dim);
    this.members = new int[cells][];
    this.sizes = new int[cells];
    for (int c = 0; c < cells; c++) members[c] = new int[8];
  }

  /**
   * Trains {@code cells} centroids with the engine's k-means (unit weights, one seeding) on
   * {@code sample} ({@code [rows, dim]}, rows of the pool), as FAISS trains IVF's coarse quantiser.
   */
  public static CellIndex train(float[] sample, int dim, int cells, long seed, Compute.Settings compute) {
    int rows = sample.length / dim;
    if (cells < 1 || rows < cells) {
      throw new IllegalArgumentException("need at least " + cells + " rows to train " + cells + " cells, got " + rows);
    }
    double[] ones = new double[rows];
    Arrays.fill(ones, 1.0);
    WeightedKMeans.Settings km = new WeightedKMeans.Settings(1, 20, 1e-3, 0, compute);
    return new CellIndex(WeightedKMeans.fit(sample, dim, ones, cells, km, seed).centers(), dim);
  }

  /**
   * The features ({@code [rows, dim]}; a copy unless every row of {@code features} is drawn) of up to {@code cells × perCell} of {@code candidates}
   * (rows of {@code features}), drawn without replacement: what {@link #train} trains on.
   */
  public static float[] trainingSample(FeatureRows features, int[] candidates, int cells, int perCell, long seed) {
    int want = (int) Math.min(candidates.length, (long) cells * perCell);
    int[] picked = UniformSample.rows(candidates.length, want, new SplittableRandom(seed));
    for (int i = 0; i < picked.length; i++) picked[i] = candidates[picked[i]];
    return features.gather(picked);
  }

  public int cells() {
    return cells;
  }

  public int dim() {
    return dim;
  }

  /** Centroid {@code c} (a copy). */
  public float[] centroid(int c) {
    return Arrays.copyOfRange(centroids, c * dim, (c + 1) * dim);
  }

  /** The cell {@code row} is filed under, -1 when none. */
  public int cellOf(int row) {
    return row < cellOf.length ? cellOf[row] : -1;
  }

  /** Rows filed under {@code c} (a view: the first {@link #size} entries count). */
  int[] rows(int c) {
    return members[c];
  }

  int size(int c) {
    return sizes[c];
  }

  /** Files {@code row} under {@code cell} (as read back from storage); a row filed elsewhere moves. */
  public void put(int row, int cell) {
    if (cell < 0 || cell >= cells) throw new IllegalArgumentException("row " + row + ": cell " + cell + " outside [0, " + cells + ")");
    if (row >= cellOf.length) {
      int old = cellOf.length;
      cellOf = Arrays.copyOf(cellOf, Math.max(row + 1, Math.max(16, old + (old >> 1))));
      Arrays.fill(cellOf, old, cellOf.length, -1);
    }
    int was = cellOf[row];
    if (was == cell) return;
    if (was >= 0) remove(row, was);
    if (sizes[cell] == members[cell].length) members[cell] = Arrays.copyOf(members[cell], sizes[cell] * 2);
    members[cell][sizes[cell]++] = row;
    cellOf[row] = cell;
  }

  private void remove(int row, int cell) {
    int[] m = members[cell];
    for (int i = 0; i < sizes[cell]; i++) {
      if (m[i] == row) {
        m[i] = m[--sizes[cell]];
        return;
      }
    }
  }

  /** Files each of {@code rows} (rows of {@code features}) under its nearest centroid. */
  public void assign(FeatureRows features, int[] rows, BlockProduct products) {
    int[][] nearest = nearestCells(features.gather(rows), rows.length, 1, products);
    for (int i = 0; i < rows.length; i++) put(rows[i], nearest[i][0]);
  }

  /** The {@code nprobe} nearest cells of each of the {@code b} query rows in {@code q}, nearest first. */
  public int[][] probe(float[] q, int b, int nprobe, BlockProduct products) {
    return nearestCells(q, b, Math.min(nprobe, cells), products);
  }

  private int[][] nearestCells(float[] q, int b, int want, BlockProduct products) {
    int[][] out = new int[b][];
    float[] prod = new float[Math.min(b, ASSIGN_BLOCK) * cells];
    TopCandidates top = new TopCandidates(want);
    double[] ignored = new double[want];
    for (int i0 = 0; i0 < b; i0 += ASSIGN_BLOCK) {
      int i1 = Math.min(b, i0 + ASSIGN_BLOCK);
      products.multiply(q, i0, i1, centroids, 0, cells, dim, prod);
      for (int i = i0; i < i1; i++) {
        top.clear();
        int base = (i - i0) * cells;
        for (int c = 0; c < cells; c++) {
          double s = prod[base + c] - halfNorms[c];
          if (s >= top.threshold()) top.offer(c, s);
        }
        out[i] = top.sorted(ignored);
      }
    }
    return out;
  }

  /** Centroid {@code c} as bytes for a store: cells, dim, then its values (big-endian). */
  public byte[] encodeCentroid(int c) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * dim);
    b.putInt(cells).putInt(dim);
    for (int d = 0; d < dim; d++) b.putFloat(centroids[c * dim + d]);
    return b.array();
  }

  /**
   * Rebuilds the centroids from {@link #encodeCentroid}'s bytes, {@code stored.apply(c)} for cell
   * {@code c} (null when nothing is stored); empty when no centroid was stored. Rows are filed
   * again with {@link #put}.
   */
  public static Optional<CellIndex> read(IntFunction<byte[]> stored) {
    byte[] first = stored.apply(0);
    if (first == null) return Optional.empty();
    ByteBuffer header = ByteBuffer.wrap(first);
    int cells = header.getInt(), dim = header.getInt();
    float[] c = new float[cells * dim];
    for (int i = 0; i < cells; i++) {
      byte[] bytes = i == 0 ? first : stored.apply(i);
      if (bytes == null) throw new IllegalArgumentException("stored centroids say " + cells + " cells, centroid " + i + " is missing");
      ByteBuffer b = ByteBuffer.wrap(bytes);
      if (b.getInt() != cells || b.getInt() != dim || bytes.length != 8 + 4 * dim) {
        throw new IllegalArgumentException("centroid " + i + " does not match " + cells + " cells of dim " + dim);
      }
      for (int d = 0; d < dim; d++) c[i * dim + d] = b.getFloat();
    }
    return Optional.of(new CellIndex(c, dim));
  }
}
