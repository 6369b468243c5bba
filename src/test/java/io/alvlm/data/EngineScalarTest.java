package io.alvlm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EngineScalarTest {
  /** How every {@code NDArray} method taking a {@code Number} is referenced from compiled code. */
  private static final byte[] NUMBER_OPERAND = "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;"
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void noProjectClassCallsAnNDArrayMethodTakingANumber() throws Exception {
    Path classes = Path.of(EngineScalar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Path> offenders;
    int scanned;
    try (Stream<Path> files = Files.walk(classes)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".class")).toList();
      scanned = all.size();
      offenders = all.stream().filter(EngineScalarTest::referencesNumberOperand).toList();
    }
    assertTrue(scanned > 100, "scanned only " + scanned + " classes under " + classes);
    assertEquals(List.of(), offenders,
        "these classes call NDArray.mul/div/add/...(Number), whose scalar the collector may free under autograd; "
            + "use EngineScalar");
  }

  @Test
  void scalarsKeepTheirValueAfterTheCollectorRuns() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {1, 2, 3});
      NDArray y = EngineScalar.times(x, 2.5f);
      NDArray z = EngineScalar.dividedBy(x, 4f);
      System.gc();
      assertEquals(List.of(2.5f, 5f, 7.5f), boxed(y.toFloatArray()));
      assertEquals(List.of(0.25f, 0.5f, 0.75f), boxed(z.toFloatArray()));
      assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, EngineScalar.of(m, 1f).getDataType());
    }
  }

  private static List<Float> boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return List.of(out);
  }

  private static boolean referencesNumberOperand(Path classFile) {
    try {
      byte[] bytes = Files.readAllBytes(classFile);
      outer:
      for (int i = 0; i + NUMBER_OPERAND.length <= bytes.length; i++) {
        for (int j = 0; j < NUMBER_OPERAND.length; j++) {
          if (bytes[i + j] != NUMBER_OPERAND[j]) continue outer;
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
