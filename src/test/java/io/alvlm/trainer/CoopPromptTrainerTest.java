package io.alvlm.trainer;

import io.alvlm.config.ServiceConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.PromptModel;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CoopPromptTrainerTest {
  static final List<String> CLASSES = List.of("dog", "cat", "banded", "Highway or Road");
  static final int[] LABELS = {0, 1, 2, 3};
  static ClipModel clip;

  @BeforeAll
  static void load() throws Exception {
    clip = ClipModel.load(Fixtures.clipTinyModel());
  }

  @AfterAll
  static void close() {
    clip.close();
  }

  private static ServiceConfig config(boolean warm) {
    return ServiceConfig.of(Map.of("classes", String.join(",", CLASSES), "train.epochs", "6", "train.batch.size", "4",
        "train.warm-start", Boolean.toString(warm), "train.warm-start.epochs", "2"));
  }

  @Test
  void warmStartTrainsFewerEpochsFromTheCurrentContext() {
    float[][] x = Expected.rows("coop_image_feats");
    PromptModel first = CoopPromptTrainer.from(config(true), clip).train(CLASSES, x, LABELS, null, () -> false);
    assertEquals(6.0, first.getMetrics().get("epochs"), "no current model: from zero with train.epochs");
    assertEquals(0.0, first.getMetrics().get("warm_start"));

    List<Integer> epochs = new ArrayList<>();
    PromptModel warm = CoopPromptTrainer.from(config(true), clip, (e, n, loss, acc) -> epochs.add(e))
        .train(CLASSES, x, LABELS, first, () -> false);
    assertEquals(2.0, warm.getMetrics().get("epochs"));
    assertEquals(1.0, warm.getMetrics().get("warm_start"));
    assertEquals(List.of(0, 1), epochs, "progress is told every epoch");
    // it started where the current model ended: its loss before training is the current model's loss after
    assertEquals(first.getMetrics().get("train_loss_after"), warm.getMetrics().get("train_loss_before"), 1e-5);

    PromptModel cold = CoopPromptTrainer.from(config(false), clip).train(CLASSES, x, LABELS, first, () -> false);
    assertEquals(6.0, cold.getMetrics().get("epochs"), "train.warm-start off keeps the from-zero protocol");
    assertArrayEquals(first.getContext().array(), cold.getContext().array(), "and the same seed gives the same model");
  }

  @Test
  void aZeroShotCurrentModelMeansFromZero() {
    float[][] x = Expected.rows("coop_image_feats");
    PromptTrainer t = CoopPromptTrainer.from(config(true), clip);
    PromptModel zs = t.zeroShot(CLASSES);
    PromptModel m = t.train(CLASSES, x, LABELS, zs, () -> false);
    assertEquals(6.0, m.getMetrics().get("epochs"));
    assertTrue(m.getMetrics().get("train_loss_after") < m.getMetrics().get("train_loss_before"));
  }

  /**
   * The service closes its trainer at shutdown while a retraining may still run on the worker
   * thread. Closing the model under it freed the arrays of the running step: a demo died of SIGSEGV
   * in libtorch that way. Close must stop the training at a step boundary and free the model only
   * after it has let go.
   */
  @Test
  void closingDuringATrainingStopsItBeforeTheModelIsFreed() throws Exception {
    ClipModel own = ClipModel.load(Fixtures.clipTinyModel());
    CountDownLatch training = new CountDownLatch(3);
    ServiceConfig c = ServiceConfig.of(Map.of("classes", String.join(",", CLASSES), "train.epochs", "1000000",
        "train.batch.size", "4"));
    CoopPromptTrainer t = CoopPromptTrainer.owning(c, own, (e, n, loss, acc) -> training.countDown());
    float[][] x = Expected.rows("coop_image_feats");
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      Future<PromptModel> run = worker.submit(() -> t.train(CLASSES, x, LABELS, null, () -> false));
      assertTrue(training.await(60, TimeUnit.SECONDS), "the training is under way");

      t.close();

      ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
      assertInstanceOf(CancellationException.class, e.getCause(),
          "stopped by the close between steps, not by arrays freed under it: " + e.getCause());
      assertThrows(IllegalStateException.class, own::newScope, "the owned model is closed once the training let go");
      assertThrows(IllegalStateException.class, () -> t.train(CLASSES, x, LABELS, null, () -> false));
      assertThrows(IllegalStateException.class, () -> t.zeroShot(CLASSES));
    } finally {
      worker.shutdownNow();
      own.close();
    }
  }
}
