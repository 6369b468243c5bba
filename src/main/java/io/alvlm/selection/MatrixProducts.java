package io.alvlm.selection;

import java.util.Locale;

/**
 * Dense block products {@code out = a[aFrom..aTo) · b[bFrom..bTo)ᵀ} of row-major float matrices (both
 * {@code [*, dim]}), written row-major with width {@code bTo - bFrom}. The one contract behind the
 * k-means kernels; two implementations: {@link JavaProducts} (pure Java, always available) and
 * {@link DjlProducts} (PyTorch through DJL: BLAS on the CPU, or the GPU when the engine sees one).
 * Each implementation also says how it likes to be called: how many rows of {@code a} and of
 * {@code b} per call, and whether independent calls should run concurrently.
 */
public interface MatrixProducts {
  /** Which implementation a k-means run uses. */
  enum Kind {
    /** {@link DjlProducts} when the engine loads and the product is large enough to pay for it, else Java. */
    AUTO,
    /** {@link JavaProducts}. */
    JAVA,
    /** {@link DjlProducts}; fails when the engine is not available. */
    DJL;

    /** Parses {@code auto}, {@code java} or {@code djl}, case-insensitively. */
    public static Kind parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("products must be auto, java or djl, got '" + s + "'");
      }
    }
  }

  /** Multiply-adds ({@code rows · columns · dim}) from which {@link Kind#AUTO} picks DJL. */
  long AUTO_THRESHOLD = 1L << 28;

  /** Writes {@code a[aFrom..aTo) · b[bFrom..bTo)ᵀ} into {@code out[0 .. (aTo-aFrom)·(bTo-bFrom))}. */
  void multiply(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int dim, float[] out);

  /** Rows of {@code a} per call that suit this implementation. */
  int rowBlock();

  /** Rows of {@code b} per call that suit this implementation. */
  int columnBlock();

  /** Short name for reports ({@code java}, {@code djl-cpu}, {@code djl-gpu}). */
  String name();

  /**
   * Runs {@code work} over {@code [0, rows)} in blocks of {@code blockRows} rows: concurrently for an
   * implementation that computes on the calling thread, one after another for one that parallelises
   * inside each product.
   */
  void forEachBlock(int rows, int blockRows, RowBlocks.Block work);

  /** The implementation for {@code kind}, for a product of about {@code macs} multiply-adds per pass. */
  static MatrixProducts of(Kind kind, long macs) {
    return switch (kind) {
      case JAVA -> JavaProducts.INSTANCE;
      case DJL -> DjlProducts.instance();
      case AUTO -> macs >= AUTO_THRESHOLD && DjlProducts.available() ? DjlProducts.instance() : JavaProducts.INSTANCE;
    };
  }
}
