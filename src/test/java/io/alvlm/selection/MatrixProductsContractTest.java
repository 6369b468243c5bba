package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract of {@link MatrixProducts}, for each implementation this machine has. */
class MatrixProductsContractTest {
  static Stream<MatrixProducts> implementations() {
    return DjlProducts.available()
        ? Stream.of(JavaProducts.INSTANCE, DjlProducts.instance())
        : Stream.of(JavaProducts.INSTANCE);
  }

  private static float[] random(int rows, int dim, long seed) {
    Random r = new Random(seed);
    float[] m = new float[rows * dim];
    for (int i = 0; i < m.length; i++) m[i] = (float) r.nextGaussian();
    return m;
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void multipliesSubRangesOfBothSides(MatrixProducts p) {
    int dim = 37;
    float[] a = random(23, dim, 1), b = random(19, dim, 2);
    int aFrom = 3, aTo = 22, bFrom = 5, bTo = 18, width = bTo - bFrom;
    float[] out = new float[(aTo - aFrom) * width + 7];
    out[out.length - 1] = 42f;
    p.multiply(a, aFrom, aTo, b, bFrom, bTo, dim, out);
    for (int i = aFrom; i < aTo; i++) {
      for (int j = bFrom; j < bTo; j++) {
        double exact = DotProducts.dot(a, i * dim, b, j * dim, dim);
        assertEquals(exact, out[(i - aFrom) * width + j - bFrom], 1e-4 * (1 + Math.abs(exact)), p.name() + " at " + i + "," + j);
      }
    }
    assertEquals(42f, out[out.length - 1], "writes nothing past the product");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void emptyRangesWriteNothing(MatrixProducts p) {
    float[] out = {7f};
    p.multiply(random(2, 4, 3), 1, 1, random(2, 4, 4), 0, 2, 4, out);
    p.multiply(random(2, 4, 3), 0, 2, random(2, 4, 4), 1, 1, 4, out);
    assertEquals(7f, out[0]);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void visitsEveryRowOnceInBlocks(MatrixProducts p) {
    int[] seen = new int[1000];
    p.forEachBlock(1000, 64, (from, to) -> {
      for (int i = from; i < to; i++) seen[i]++;
    });
    for (int s : seen) assertEquals(1, s);
  }

  @Test
  void autoPicksJavaForSmallProductsAndKindsParse() {
    assertSame(JavaProducts.INSTANCE, MatrixProducts.of(MatrixProducts.Kind.AUTO, 1000));
    assertSame(JavaProducts.INSTANCE, MatrixProducts.of(MatrixProducts.Kind.JAVA, Long.MAX_VALUE));
    assertEquals(MatrixProducts.Kind.DJL, MatrixProducts.Kind.parse(" Djl "));
    assertThrows(IllegalArgumentException.class, () -> MatrixProducts.Kind.parse("blas"));
  }

  @Test
  void djlIsAvailableWhereTheEngineIsCached() {
    assumeTrue(System.getProperty("ai.djl.offline") != null);
    assertEquals("djl-", DjlProducts.instance().name().substring(0, 4));
  }
}
