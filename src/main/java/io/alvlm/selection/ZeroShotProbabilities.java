package io.alvlm.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * CLIP zero-shot class probabilities (cec.md §1): {@code p_i = softmax(τ · F_i Tᵀ)} for L2-normalised
 * image rows {@code F} ({@code [rows, dim]}) and class text rows {@code T} ({@code [classes, dim]}).
 * Logits are float64 products on the CPU engine (BLAS {@code dgemm}, a block of up to
 * {@link #BLOCK} rows per call, several times faster than Java's scalar double loops; docs/benchmarks.md)
 * and the softmax is taken in double; the result is
 * row-major {@code [rows, classes]}. A row's logits do not depend on the rows beside it in its block.
 */
public final class ZeroShotProbabilities {
  /** Rows per engine product. */
  static final int BLOCK = 1 << 12;

  private ZeroShotProbabilities() {}

  /** Probabilities of every row of {@code features}. */
  public static double[] of(float[] features, int rows, int dim, float[] classText, int classes, double logitScale) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(classText, "classText");
    double[] p = new double[rows * classes];
    try (Logits engine = new Logits(classText, classes, dim)) {
      for (int from = 0; from < rows; from += BLOCK) {
        int to = Math.min(rows, from + BLOCK);
        softmaxRows(engine.of(features, from, to - from), to - from, classes, logitScale, p, from * classes);
      }
    }
    return p;
  }

  /** Float64 logits {@code x · Tᵀ} of blocks of rows on the CPU engine, the class text put there once. */
  private static final class Logits implements AutoCloseable {
    private final NDManager scope = Compute.cpu().newScope();
    private final NDArray textT;
    private final int classes;
    private final int dim;

    Logits(float[] classText, int classes, int dim) {
      this.classes = classes;
      this.dim = dim;
      try {
        textT = DeviceMatrix.owned(scope, classText, new Shape(classes, dim)).toType(DataType.FLOAT64, false).transpose();
      } catch (RuntimeException e) {
        scope.close();
        throw e;
      }
    }

    /** {@code [count, classes]} logits of rows {@code [at, at + count)} of {@code x}. */
    double[] of(float[] x, int at, int count) {
      try (NDManager s = scope.newSubManager()) {
        NDArray rows = DirectStaging.ofThisThread().floats(s, x, at * dim, new Shape(count, dim));
        return rows.toType(DataType.FLOAT64, false).matMul(textT).toDoubleArray();
      }
    }

    @Override
    public void close() {
      scope.close();
    }
  }

  /**
   * Probabilities of {@code rows[from, to)} of {@code pool} into {@code out} ({@code [to − from, classes]}):
   * copied from its maintained {@link ClassProbabilities} when present, else computed from the
   * features where they lie (a run of consecutive rows is read in place, other rows are gathered
   * a block at a time). Within float64 rounding of what {@link #of} gives for the gathered rows.
   */
  public static void forRows(PoolView pool, int[] rows, int from, int to, double[] out) {
    int classes = pool.classes();
    if (pool.probabilities().isPresent()) {
      ClassProbabilities maintained = pool.probabilities().get();
      for (int i = from; i < to; i++) maintained.copyRow(rows[i], out, (i - from) * classes);
      return;
    }
    FeatureRows f = pool.features();
    int dim = pool.dim();
    try (Logits engine = new Logits(pool.classText(), classes, dim)) {
      float[] values = null; // gathered or converted rows, one buffer for every block
      for (int a = from; a < to; a += BLOCK) {
        int b = Math.min(to, a + BLOCK);
        int first = rows[a];
        double[] logits;
        if (consecutive(rows, a, b) && f.sameFp32Chunk(first, rows[b - 1])) {
          logits = engine.of(f.chunk(first), f.offset(first) / dim, b - a);
        } else {
          if (values == null) values = new float[Math.min(to - from, BLOCK) * dim];
          for (int i = a; i < b; i++) f.copyRow(rows[i], values, (i - a) * dim);
          logits = engine.of(values, 0, b - a);
        }
        softmaxRows(logits, b - a, classes, pool.logitScale(), out, (a - from) * classes);
      }
    }
  }

  /** Softmax of {@code count} rows of {@code logits} into {@code out} from {@code outOff} on, rows in parallel. */
  private static void softmaxRows(double[] logits, int count, int classes, double scale, double[] out, int outOff) {
    RowBlocks.forEach(count, 256, (a, b) -> {
      for (int i = a; i < b; i++) softmax(logits, i * classes, classes, scale, out, outOff + i * classes);
    });
  }

  private static boolean consecutive(int[] rows, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (rows[i] != rows[i - 1] + 1) return false;
    }
    return true;
  }

  /** Probabilities of one normalised image vector (for scoring images as they arrive). */
  public static double[] ofRow(float[] feature, float[] classText, int classes, double logitScale) {
    int dim = feature.length;
    double[] logits = new double[classes];
    for (int c = 0; c < classes; c++) {
      logits[c] = DotProducts.dot(feature, 0, classText, c * dim, dim);
    }
    double[] p = new double[classes];
    softmax(logits, 0, classes, logitScale, p, 0);
    return p;
  }

  private static void softmax(double[] logits, int off, int classes, double scale, double[] out, int outOff) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, scale * logits[off + c]);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      double e = Math.exp(scale * logits[off + c] - max);
      out[outOff + c] = e;
      sum += e;
    }
    for (int c = 0; c < classes; c++) {
      out[outOff + c] /= sum;
    }
  }

  /** Shannon entropy in nats of each row of {@code p} ({@code [rows, classes]}); {@code 0 log 0 = 0}. */
  public static double[] entropy(double[] p, int classes) {
    int rows = p.length / classes;
    double[] h = new double[rows];
    for (int i = 0; i < rows; i++) {
      h[i] = entropy(p, i * classes, classes);
    }
    return h;
  }

  /** Entropy in nats of {@code p[off..off+classes)}. */
  public static double entropy(double[] p, int off, int classes) {
    double h = 0;
    for (int c = 0; c < classes; c++) {
      double v = p[off + c];
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  /** Index of the most probable class of row {@code row}. */
  public static int argmax(double[] p, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (p[row * classes + c] > p[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }
}
