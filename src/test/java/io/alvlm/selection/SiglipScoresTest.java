package io.alvlm.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.ImagePreprocessor;
import io.alvlm.clip.Reference;
import io.alvlm.data.Fixtures;
import io.alvlm.data.IdxDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CEC and every strategy on SigLIP's zero-shot probabilities: the softmax over classes of
 * {@code scale · cos + bias}, where the bias cancels and the scale does not.
 */
class SiglipScoresTest {
  private static final Reference EXPECTED = Reference.of(Fixtures.siglipTiny());
  private static final int POOL = 120;
  private static ClipModel model;
  private static float[][] images;
  private static float[][] texts;
  private static PoolView fashion;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.siglipTinyModel());
    images = model.embedImages(EXPECTED.rowList("pixel_values"));
    List<String> t = new ArrayList<>();
    new ObjectMapper().readTree(Fixtures.siglipTiny().resolve("expected.json").toFile()).get("texts")
        .forEach(n -> t.add(n.asText()));
    texts = model.encodeTexts(t);
    // a Fashion-MNIST pool embedded by the SigLIP, scored against its class prompts
    IdxDataset data = IdxDataset.read(Path.of("data/fashion-mnist"), "train");
    ImagePreprocessor pre = model.preprocessor(ImagePreprocessor.DEFAULT_MAX_PIXELS);
    List<float[]> px = new ArrayList<>();
    for (int i = 0; i < POOL; i++) px.add(pre.preprocess(data.png(i)));
    List<String> prompts = Files.readAllLines(Path.of("data/fashion-mnist/classes.txt")).stream()
        .filter(s -> !s.isBlank()).map(c -> "a photo of a " + c + ".").toList();
    fashion = PoolView.unlabeled(flat(model.embedImages(px)), model.projectionDim(), flat(model.encodeTexts(prompts)),
        model.logitScale());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    return out;
  }

  /** Softmax over each row of transformers' logits, bias included. */
  private static double[] softmaxOfTransformersLogits() {
    float[][] logits = EXPECTED.rows("logits");
    int c = logits[0].length;
    double[] p = new double[logits.length * c];
    for (int i = 0; i < logits.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float v : logits[i]) max = Math.max(max, v);
      double sum = 0;
      for (int j = 0; j < c; j++) sum += p[i * c + j] = Math.exp(logits[i][j] - max);
      for (int j = 0; j < c; j++) p[i * c + j] /= sum;
    }
    return p;
  }

  private static double[] zeroShot(float scale) {
    int dim = model.projectionDim();
    return ZeroShotProbabilities.of(Vectors.normalizedRows(flat(images), dim), images.length, dim,
        Vectors.normalizedRows(flat(texts), dim), texts.length, scale);
  }

  @Test
  void zeroShotProbabilitiesAreTheSoftmaxOfSiglipsLogitsWithTheBiasCancelled() {
    double[] want = softmaxOfTransformersLogits();
    double[] got = zeroShot(model.logitScale());
    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5, "entry " + i);
  }

  @Test
  void calibratedEntropyReadsSiglipsScaleNotClips() {
    double[] want = softmaxOfTransformersLogits();
    double[] got = zeroShot(model.logitScale());
    double[] prior = ClassPrior.topNMean(want, 5, 2);
    double[] hWant = CalibratedEntropy.of(want, 5, prior);
    double[] hGot = CalibratedEntropy.of(got, 5, ClassPrior.topNMean(got, 5, 2));
    for (int i = 0; i < hWant.length; i++) assertEquals(hWant[i], hGot[i], 1e-5, "row " + i);
    // CLIP's scale of 100 on the same cosines gives other entropies: the scale is the model's, read from it
    double[] clipScale = zeroShot(100f);
    double[] hClip = CalibratedEntropy.of(clipScale, 5, ClassPrior.topNMean(clipScale, 5, 2));
    double apart = 0;
    for (int i = 0; i < hWant.length; i++) apart = Math.max(apart, Math.abs(hWant[i] - hClip[i]));
    assertTrue(apart > 0.05, "entropies at scale 100 differ by only " + apart);
  }

  static Stream<String> strategies() {
    return Stream.concat(Strategies.NAMES.stream(), Stream.of("pcb:cec"));
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void everyStrategySelectsFromASiglipPool(String name) {
    Selection s = Strategies.create(name, Map.of()).select(fashion, 10, 3);
    int[] rows = s.rows();
    assertEquals(10, rows.length);
    assertEquals(10, Arrays.stream(rows).distinct().count());
    for (Pick p : s.picks()) p.scores().values().forEach(v -> assertTrue(Double.isFinite(v), name + " " + p));
  }

  @Test
  void cecsCalibratedEntropyIsThatOfSiglipsSoftmax() {
    Selection s = Strategies.create("cec", Map.of()).select(fashion, 10, 3);
    int classes = fashion.classes();
    int dim = fashion.dim();
    float[] x = fashion.features().gather(Pool.unlabelledRows(fashion));
    // softmax over classes of scale·cos + bias, written out here with SigLIP's bias
    double[] p = new double[POOL * classes];
    for (int i = 0; i < POOL; i++) {
      double[] logit = new double[classes];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double cos = 0;
        for (int d = 0; d < dim; d++) cos += (double) x[i * dim + d] * fashion.classText()[c * dim + d];
        logit[c] = model.logitScale() * cos + model.logitBias();
        max = Math.max(max, logit[c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) sum += p[i * classes + c] = Math.exp(logit[c] - max);
      for (int c = 0; c < classes; c++) p[i * classes + c] /= sum;
    }
    double[] h = CalibratedEntropy.of(p, classes, ClassPrior.topNMean(p, classes, 10));
    for (Pick pick : s.picks()) {
      assertEquals(h[pick.row()], pick.scores().get("calibrated_entropy"), 1e-4, "row " + pick.row());
    }
  }
}
