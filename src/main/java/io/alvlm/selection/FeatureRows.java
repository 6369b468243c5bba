package io.alvlm.selection;

import io.alvlm.data.Half;
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
 * <p>A growing pool can hold its rows in fp16 instead ({@link #halfFromNowOn}): half the memory, each
 * value rounded to the nearest half (relative error at most 2⁻¹¹, about 5·10⁻⁴ of an L2-normalised row's
 * values), converted back to fp32 a row or a block at a time as it is read (the products still run in
 * fp32, as FAISS's {@code SQfp16} does). Precision is per chunk: from the switch on new chunks are fp16,
 * and the fp32 chunks already held are converted one at a time ({@link #convertOneChunk}), so no step
 * converts the whole pool. {@link #chunk} gives fp32 chunks only: read the others by row or by block.
 *
 * <p>Reads go by row: {@link #chunk}/{@link #offset} for code that works on a row in place,
 * {@link #gather} for a contiguous copy, {@link #forEachBlock} for contiguous runs of rows that a
 * product can read where they lie. Writes ({@link #set}, {@link #convertOneChunk}) only on the owning
 * thread, and never to a row a snapshot can see (a snapshot keeps the chunks it was given).
 */
public final class FeatureRows {
  /** Rows per chunk of a growing pool: 16,384 rows (32 MiB at dim 512). */
  public static final int CHUNK_ROWS = 1 << 14;

  private final int dim;
  private final int shift;
  private final int mask;
  /** Per chunk, its fp32 values, or null when it is held in {@link #halves} (or not allocated). */
  private float[][] chunks;
  /** Per chunk, its fp16 bit patterns, or null. */
  private short[][] halves;
  /** Whether new chunks are allocated in fp16. */
  private boolean halfChunks;
  /** Chunks held in fp32. */
  private int fp32Chunks;
  private int rows;

  private FeatureRows(int dim, int shift, float[][] chunks, int rows) {
    this(dim, shift, chunks, new short[chunks.length][], false, rows);
  }

  private FeatureRows(int dim, int shift, float[][] chunks, short[][] halves, boolean halfChunks, int rows) {
    if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    this.dim = dim;
    this.shift = shift;
    this.mask = shift >= 31 ? Integer.MAX_VALUE : (1 << shift) - 1;
    this.chunks = chunks;
    this.halves = halves;
    this.halfChunks = halfChunks;
    for (float[] c : chunks) if (c != null) fp32Chunks++;
    this.rows = rows;
  }

  /**
   * The same rows as a pool whose new chunks are fp16 from now on (its fp32 chunks wait for
   * {@link #convertOneChunk}); O(chunks): nothing is converted here. This one, and views of it, keep
   * their chunks as they are; a pool already switched returns itself.
   */
  public FeatureRows halfFromNowOn() {
    if (halfChunks) return this;
    if (mask == Integer.MAX_VALUE) throw new IllegalStateException("a wrapped pool is read-only");
    return new FeatureRows(dim, shift, chunks.clone(), halves.clone(), true, rows);
  }

  /**
   * Converts the first fp32 chunk of a pool switched to fp16 ({@link #halfFromNowOn}) to fp16: its
   * written rows, each value rounded to the nearest half. Returns false when none is left. Views
   * handed out before keep the fp32 chunk.
   */
  public boolean convertOneChunk() {
    if (!halfChunks || fp32Chunks == 0) return false;
    int c = 0;
    while (chunks[c] == null) c++;
    float[] f = chunks[c];
    short[] out = new short[f.length];
    int end = (int) Math.min(f.length, Math.max(0L, (long) rows - ((long) c << shift)) * dim); // rows written only
    for (int i = 0; i < end; i++) out[i] = Half.fromFloat(f[i]);
    halves[c] = out;
    chunks[c] = null;
    fp32Chunks--;
    return true;
  }

  /** The same rows, all in fp16 ({@link #halfFromNowOn} and every chunk converted). */
  public FeatureRows toHalf() {
    FeatureRows h = halfFromNowOn();
    while (h.convertOneChunk()) {
      // one chunk a call
    }
    return h;
  }

  /** Whether every row is held in fp16 (the pool switched and its fp32 chunks are all converted). */
  public boolean half() {
    return halfChunks && fp32Chunks == 0;
  }

  /** Whether the pool switched to fp16 and still holds fp32 chunks to convert. */
  public boolean converting() {
    return halfChunks && fp32Chunks > 0;
  }

  /** Whether rows {@code a} and {@code b} lie in one fp32 chunk (so that {@link #chunk} reads them in place). */
  public boolean sameFp32Chunk(int a, int b) {
    return (a >>> shift) == (b >>> shift) && chunks[a >>> shift] != null;
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
    if (c >= chunks.length) {
      chunks = Arrays.copyOf(chunks, c + 1);
      halves = Arrays.copyOf(halves, c + 1);
    }
    for (int i = 0; i <= c; i++) { // a gap of rows reads as zeros, never null
      if (chunks[i] == null && halves[i] == null) {
        if (halfChunks) {
          halves[i] = new short[(mask + 1) * dim];
        } else {
          chunks[i] = new float[(mask + 1) * dim];
          fp32Chunks++;
        }
      }
    }
    int o = (row & mask) * dim;
    float[] f = chunks[c];
    if (f != null) {
      System.arraycopy(v, from, f, o, dim);
    } else {
      short[] h = halves[c];
      for (int d = 0; d < dim; d++) h[o + d] = Half.fromFloat(v[from + d]);
    }
    rows = Math.max(rows, row + 1);
  }

  /** The fp32 array that holds {@code row}; its values start at {@link #offset}. Not for a row held in fp16. */
  public float[] chunk(int row) {
    float[] f = chunks[row >>> shift];
    if (f == null) throw new IllegalStateException("row " + row + " is held in fp16: read it by row or by block");
    return f;
  }

  /** Where {@code row} starts in {@link #chunk}. */
  public int offset(int row) {
    return (row & mask) * dim;
  }

  /** Row {@code row} (a copy, in fp32). */
  public float[] row(int row) {
    float[] out = new float[dim];
    copyRow(row, out, 0);
    return out;
  }

  /** Copies {@code row} into {@code dst} at {@code at} (in fp32). */
  public void copyRow(int row, float[] dst, int at) {
    int o = offset(row);
    float[] f = chunks[row >>> shift];
    if (f != null) {
      System.arraycopy(f, o, dst, at, dim);
    } else {
      short[] h = halves[row >>> shift];
      for (int d = 0; d < dim; d++) dst[at + d] = Half.toFloat(h[o + d]);
    }
  }

  /** Copies {@code row} into {@code dst} at absolute index {@code at} (in fp32). */
  public void copyRow(int row, FloatBuffer dst, int at) {
    int o = offset(row);
    float[] f = chunks[row >>> shift];
    if (f != null) {
      dst.put(at, f, o, dim);
    } else {
      short[] h = halves[row >>> shift];
      for (int d = 0; d < dim; d++) dst.put(at + d, Half.toFloat(h[o + d]));
    }
  }

  /**
   * Copies fp16 {@code row}'s bit patterns into {@code dst} at absolute index {@code at}, as they are
   * held (no conversion: for an engine that converts a whole block at once). Only for a row held in fp16.
   */
  public void copyHalfRow(int row, java.nio.ShortBuffer dst, int at) {
    short[] h = halves[row >>> shift];
    if (h == null) throw new IllegalStateException("row " + row + " is held in fp32");
    dst.put(at, h, offset(row), dim);
  }

  /** The dot product of two rows, in double. */
  public double dot(int a, int b) {
    return RowArithmetic.dot(this, a, b);
  }

  /** The dot product of {@code row} with {@code v[from, from + dim)}, in double. */
  public double dot(int row, float[] v, int from) {
    return RowArithmetic.dot(this, row, v, from);
  }

  /** {@code sum[at + d] += w · row[d]} for every {@code d}, in double. */
  public void addScaled(int row, double w, double[] sum, int at) {
    RowArithmetic.addScaled(this, row, w, sum, at);
  }

  /** {@code ‖row − c[at, at + dim)‖²}, in double. */
  public double squaredDistance(int row, float[] c, int at) {
    return RowArithmetic.squaredDistance(this, row, c, at);
  }

  /** The fp32 chunk that holds {@code row}, or null when it is held in fp16. */
  float[] fp32Chunk(int row) {
    return chunks[row >>> shift];
  }

  /** The fp16 chunk that holds {@code row}, or null when it is held in fp32. */
  short[] halfChunk(int row) {
    return halves[row >>> shift];
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
    return new FeatureRows(dim, shift, chunks.clone(), halves.clone(), halfChunks, n);
  }

  /** Contiguous rows {@code [first, first + count)}, held in {@code values} from row {@code at} on ({@code values[at*dim]} is row {@code first}). */
  @FunctionalInterface
  public interface Block {
    void accept(float[] values, int at, int first, int count);
  }

  /**
   * Hands rows {@code [from, to)} to {@code block} as contiguous runs of at most {@code maxRows} rows:
   * where they lie for fp32 rows, converted into one reused fp32 buffer for fp16 rows (read it before
   * the next block comes).
   */
  public void forEachBlock(int from, int to, int maxRows, Block block) {
    if (maxRows < 1) throw new IllegalArgumentException("blocks need at least one row");
    float[] converted = null;
    for (int r = from; r < to; ) {
      int chunkEnd = mask == Integer.MAX_VALUE ? to : Math.min(to, ((r >>> shift) + 1) << shift);
      int end = Math.min(chunkEnd, r + maxRows);
      float[] f = chunks[r >>> shift];
      if (f != null) {
        block.accept(f, r & mask, r, end - r);
      } else {
        if (converted == null) converted = new float[Math.min(to - from, maxRows) * dim];
        short[] h = halves[r >>> shift];
        int o = (r & mask) * dim;
        int len = (end - r) * dim;
        for (int i = 0; i < len; i++) converted[i] = Half.toFloat(h[o + i]);
        block.accept(converted, 0, r, end - r);
      }
      r = end;
    }
  }

  /** Bytes the chunks hold (allocated, not only written). */
  public long bytes() {
    long b = 0;
    for (float[] c : chunks) if (c != null) b += 4L * c.length;
    for (short[] c : halves) if (c != null) b += 2L * c.length;
    return b;
  }

  private static boolean identity(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) return false;
    }
    return true;
  }
}
