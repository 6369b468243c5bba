package io.alvlm.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipModelTest {
  private static ClipModel model;
  private static List<String> texts;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.clipTinyModel());
    JsonNode json = new ObjectMapper().readTree(Fixtures.clipTiny().resolve("expected.json").toFile());
    texts = new ArrayList<>();
    json.get("texts").forEach(t -> texts.add(t.asText()));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void imageFeaturesMatchTransformers() {
    float[][] actual = model.embedImages(Expected.rowList("pixel_values"));
    assertTrue(Expected.relativeError(actual, Expected.rows("image_embeds")) < 1e-4);
  }

  @Test
  void textFeaturesOfTokenIdsMatchTransformers() {
    long[][] ids = Expected.ids("input_ids");
    int[] eot = new int[ids.length];
    for (int i = 0; i < ids.length; i++) eot[i] = Expected.firstEndOfText(ids[i]);
    float[][] actual = model.encodeTokens(ids, eot);
    assertTrue(Expected.relativeError(actual, Expected.rows("text_embeds")) < 1e-4);
  }

  @Test
  void textFeaturesOfTextsMatchTransformers() {
    float[][] actual = model.encodeTexts(texts);
    assertTrue(Expected.relativeError(actual, Expected.rows("text_embeds")) < 1e-4);
  }

  @Test
  void tokenizerIdsEqualTransformersUpToPadding() {
    ClipTokenizer.Tokens t = model.tokenizer().encode(texts);
    long[][] expected = Expected.ids("input_ids");
    for (int i = 0; i < expected.length; i++) {
      int eot = Expected.firstEndOfText(expected[i]);
      assertEquals(eot, t.endOfText()[i]);
      assertArrayEquals(java.util.Arrays.copyOf(expected[i], eot + 1), java.util.Arrays.copyOf(t.ids()[i], eot + 1));
    }
  }

  @Test
  void logitsMatchTransformers() {
    float[][] img = model.embedImages(Expected.rowList("pixel_values"));
    float[][] txt = model.encodeTexts(texts);
    float[][] logits = new float[img.length][txt.length];
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < txt.length; j++) {
        logits[i][j] = model.logitScale() * cosine(img[i], txt[j]);
      }
    }
    assertEquals(14.284855842590332, model.logitScale(), 1e-5);
    assertTrue(Expected.relativeError(logits, Expected.rows("logits")) < 1e-4);
  }

  @Test
  void cuttingAfterEndOfTextKeepsFeatures() {
    model.setCutAfterEndOfText(false);
    float[][] full;
    try {
      full = model.encodeTexts(texts);
    } finally {
      model.setCutAfterEndOfText(true);
    }
    float[][] cut = model.encodeTexts(texts);
    assertTrue(Expected.relativeError(cut, full) < 1e-5);
  }

  @Test
  void batchSizeDoesNotChangeFeaturesOrOrder() {
    List<float[]> pixels = Expected.rowList("pixel_values");
    float[][] together = model.embedImages(pixels);
    model.setBatchSize(3);
    try {
      assertTrue(Expected.relativeError(model.embedImages(pixels), together) < 1e-5);
    } finally {
      model.setBatchSize(ClipModel.DEFAULT_BATCH);
    }
  }

  @Test
  void thousandBatchesLeaveNoArraysBehind() {
    List<float[]> one = Expected.rowList("pixel_values").subList(0, 1);
    List<String> prompt = List.of("a photo of a dog.");
    model.embedImages(one);
    model.encodeTexts(prompt);
    int before = model.liveArrays();
    for (int i = 0; i < 1000; i++) {
      model.embedImages(one);
      model.encodeTexts(prompt);
    }
    assertEquals(before, model.liveArrays());
  }

  @Test
  void reportsModelShape() {
    assertEquals(32, model.projectionDim());
    assertEquals(32, model.imageSize());
    assertEquals("clip-tiny", model.modelId());
  }

  static float cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return (float) (ab / Math.sqrt(aa * bb));
  }

  @Test
  void closeWaitsForACallerHoldingTheModelThenRefusesEveryCall() throws Exception {
    ClipModel m = ClipModel.load(Fixtures.clipTinyModel());
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<float[][]> encoded = new java.util.concurrent.atomic.AtomicReference<>();
    Thread user = new Thread(() -> {
      synchronized (m) {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        encoded.set(m.encodeTexts(List.of("a photo of a dog")));
      }
    });
    user.start();
    assertTrue(holding.await(30, java.util.concurrent.TimeUnit.SECONDS));
    Thread closer = new Thread(m::close);
    closer.start();
    long end = System.nanoTime() + 30_000_000_000L;
    while (closer.getState() != Thread.State.BLOCKED && closer.isAlive() && System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    assertEquals(Thread.State.BLOCKED, closer.getState(), "close waits for the caller that holds the model");
    release.countDown();
    user.join(30_000);
    closer.join(30_000);
    assertFalse(closer.isAlive());
    assertEquals(1, encoded.get().length, "the caller finished on a model that was still open");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.encodeTexts(List.of("a cat")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, m::newScope);
    m.close(); // twice is harmless
  }
}
