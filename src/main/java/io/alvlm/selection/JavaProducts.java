package io.alvlm.selection;

/** {@link MatrixProducts} with the pure-Java {@link DotProducts#floats} kernel, blocks run in parallel. */
public final class JavaProducts implements MatrixProducts {
  /** The one instance (stateless). */
  public static final JavaProducts INSTANCE = new JavaProducts();

  private JavaProducts() {}

  @Override
  public void multiply(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int dim, float[] out) {
    DotProducts.floats(a, aFrom, aTo, b, bFrom, bTo, dim, out);
  }

  @Override
  public int rowBlock() {
    return 64;
  }

  @Override
  public int columnBlock() {
    return 512;
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public void forEachBlock(int rows, int blockRows, RowBlocks.Block work) {
    RowBlocks.forEach(rows, blockRows, work);
  }
}
