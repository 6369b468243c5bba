package io.alvlm.selection;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A pool's feature rows ({@code [rows, dim]}, row-major fp32) held in chunks of a fixed power-of-two
 * number of rows that never move once allocated. A growing pool appends without copying what it
 * already holds (no 1.5× growth copies, no array-size ceiling), and a snapshot for another thread
 * shares the chunks: rows below it are never written again. A pool that arrives whole (a file, a
 * test) is one chunk: its array, wrapped without a copy.
 *
 * <p>Reads go by row: {@link #chunk}/{@link #offset} for code that works on a row in place,
 * {@link #gather} for a contiguous copy, {@link #forEachBlock} for contiguous runs of rows that a
 * product can read where they lie. Writes ({@link #set}) only on the owning thread, and never to a
 * row a snapshot can see.
 */
public final class FeatureRows {
  /** Rows per chunk of a growing pool: 16,384 rows (32 MiB at dim 512). */
  public static final int CHUNK_ROWS = 1 << 14;

  private final int dim;
  private final int shift;
  private final int mask;
  private float[][] chunks;
  private int rows;

  private FeatureRows(int dim, int shift, float[][] chunks, int rows) {
    if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    this.dim = dim;
    this.shift = shift;
    this.mask = shift >= 31 ? Integer.MAX_VALUE : (1 << shift) - 1;
    this.chunks = chunks;
    this.rows = rows;
  }

  /** An empty pool of {@code dim}-wide rows that grows a chunk of {@link #CHUNK_ROWS} rows at a time. */
  public static FeatureRows growing(int dim) {
    return growing(dim, CHUNK_ROWS);
  }

  /** An empty growing pool with chunks of {@code chunkRows} rows (a power of two). */
  public static FeatureRows growing(int dim, int chunkRows) {
    if (chunkRows < 1 || Integer.bitCount(chunkRows) != 1) {
      throw new IllegalArgumentException("rows per chunk must be a power of two, got " + chunkRows);
    }
    return new FeatureRows(dim, Integer.numberOfTrailingZeros(chunkRows), new float[0][], 0);
  }

  /** The rows of {@code flat} ({@code [rows, dim]}), wrapped as one chunk without a copy. */
  public static FeatureRows of(float[] flat, int dim) {
    Objects.requireNonNull(flat, "features");
    if (dim < 1 || flat.length % dim != 0) {
      throw new IllegalArgumentException("features hold " + flat.length + " values, not whole rows of " + dim);
    }
    return of(flat, flat.length / dim, dim);
  }

  /** The first {@code rows} rows of {@code flat}, wrapped as one chunk without a copy (later values are ignored). */
  public static FeatureRows of(float[] flat, int rows, int dim) {
    Objects.requireNonNull(flat, "features");
    if (rows < 0 || (long) rows * dim > flat.length) {
      throw new IllegalArgumentException("features hold " + flat.length + " values, fewer than rows*dim=" + rows + "*" + dim);
    }
    return new FeatureRows(dim, 31, new float[][] {flat}, rows);
  }

  public int dim() {
    return dim;
  }

  /** Rows held: one past the largest row written. */
  public int rows() {
    return rows;
  }

  /** Rows per chunk (a single-chunk pool reports {@link Integer#MAX_VALUE}). */
  public int chunkRows() {
    return mask == Integer.MAX_VALUE ? Integer.MAX_VALUE : mask + 1;
  }

  /** Writes {@code v[from, from + dim)} as {@code row}, allocating its chunk when needed. */
  public void set(int row, float[] v, int from) {
    if (row < 0) throw new IllegalArgumentException("row must be >= 0, got " + row);
    if (mask == Integer.MAX_VALUE) throw new IllegalStateException("a wrapped pool is read-only");
    int c = row >>> shift;
    if (c >= chunks.length) chunks = Arrays.copyOf(chunks, c + 1);
    if (chunks[c] == null) {
      for (int i = 0; i <= c; i++) {
        if (chunks[i] == null) chunks[i] = new float[(mask + 1) * dim]; // a gap of rows reads as zeros, never null
      }
    }
    System.arraycopy(v, from, chunks[c], (row & mask) * dim, dim);
    rows = Math.max(rows, row + 1);
  }

  /** The array that holds {@code row}; its values start at {@link #offset}. */
  public float[] chunk(int row) {
    return chunks[row >>> shift];
  }

  /** Where {@code row} starts in {@link #chunk}. */
  public int offset(int row) {
    return (row & mask) * dim;
  }

  /** Row {@code row} (a copy). */
  public float[] row(int row) {
    int o = offset(row);
    return Arrays.copyOfRange(chunk(row), o, o + dim);
  }

  /** Copies {@code row} into {@code dst} at {@code at}. */
  public void copyRow(int row, float[] dst, int at) {
    System.arraycopy(chunk(row), offset(row), dst, at, dim);
  }

  /** Copies {@code row} into {@code dst} at absolute index {@code at}. */
  public void copyRow(int row, FloatBuffer dst, int at) {
    dst.put(at, chunk(row), offset(row), dim);
  }

  /** The dot product of two rows, in double. */
  public double dot(int a, int b) {
    return DotProducts.dot(chunk(a), offset(a), chunk(b), offset(b), dim);
  }

  /** The dot product of {@code row} with {@code v[from, from + dim)}, in double. */
  public double dot(int row, float[] v, int from) {
    return DotProducts.dot(chunk(row), offset(row), v, from, dim);
  }

  /**
   * The given rows packed into a new contiguous {@code [rows.length, dim]} matrix, or the wrapped
   * array itself when it holds exactly these rows in order (no copy).
   */
  public float[] gather(int[] rows) {
    if (chunks.length == 1 && mask == Integer.MAX_VALUE && chunks[0].length == rows.length * dim && identity(rows)) {
      return chunks[0];
    }
    float[] out = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) copyRow(rows[i], out, i * dim);
    return out;
  }

  /** Rows {@code [0, rows())} as one contiguous matrix: the wrapped array when it is exactly that, else a copy. */
  public float[] toArray() {
    return gather(java.util.stream.IntStream.range(0, rows).toArray());
  }

  /** The first {@code n} rows, sharing the chunks: rows below {@code n} must not be written again. */
  public FeatureRows view(int n) {
    if (n < 0 || n > rows) throw new IllegalArgumentException("a view of " + n + " rows of a pool of " + rows);
    return new FeatureRows(dim, shift, chunks.clone(), n);
  }

  /** Contiguous rows {@code [first, first + count)}, held in {@code values} from row {@code at} on ({@code values[at*dim]} is row {@code first}). */
  @FunctionalInterface
  public interface Block {
    void accept(float[] values, int at, int first, int count);
  }

  /** Hands rows {@code [from, to)} to {@code block} as contiguous runs of at most {@code maxRows} rows, where they lie. */
  public void forEachBlock(int from, int to, int maxRows, Block block) {
    if (maxRows < 1) throw new IllegalArgumentException("blocks need at least one row");
    for (int r = from; r < to; ) {
      int chunkEnd = mask == Integer.MAX_VALUE ? to : Math.min(to, ((r >>> shift) + 1) << shift);
      int end = Math.min(chunkEnd, r + maxRows);
      block.accept(chunk(r), r & mask, r, end - r);
      r = end;
    }
  }

  /** Bytes the chunks hold (allocated, not only written). */
  public long bytes() {
    long b = 0;
    for (float[] c : chunks) if (c != null) b += 4L * c.length;
    return b;
  }

  private static boolean identity(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) return false;
    }
    return true;
  }
}
