package io.alvlm.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.PromptModel;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
