package io.alvlm.coop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.alvlm.clip.ClipModel;
import io.alvlm.clip.Expected;
import io.alvlm.data.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training on the device gives what the host-side reference ({@link Sgd} on {@link CoopTrainer#step}) gives. */
class DeviceTrainingTest {
  static ClipModel model;
  // the fixture's four images and their classes, as CoopTrainerTest trains on them
  static final List<String> CLASSES = CoopTrainerTest.CLASSES;
  static final int[] LABELS = CoopTrainerTest.LABELS;

  @BeforeAll
  static void load() throws Exception {
    model = ClipModel.load(Fixtures.clipTinyModel());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void deviceSgdFollowsHostSgdStepForStep() {
    Random r = new Random(3);
    float[] host = new float[300];
    for (int i = 0; i < host.length; i++) host[i] = (float) r.nextGaussian();
    Sgd reference = new Sgd(0.9, 5e-4);
    try (NDManager m = model.newScope()) {
      NDArray p = m.create(host.clone(), new Shape(3, 100)).duplicate();
      DeviceSgd sgd = new DeviceSgd(m, p, 0.9, 5e-4);
      for (int step = 0; step < 6; step++) {
        float[] grad = new float[host.length];
        for (int i = 0; i < grad.length; i++) grad[i] = (float) r.nextGaussian();
        double lr = 0.01 * (step + 1);
        reference.step(host, grad, lr);
        try (NDManager s = m.newSubManager()) {
          sgd.step(s.create(grad, new Shape(3, 100)), s.full(new Shape(), (float) lr));
        }
        assertArrayEquals(host, p.toFloatArray(), 1e-6f, "step " + step);
      }
      assertThrows(IllegalArgumentException.class, () -> sgd.step(m.zeros(new Shape(300)), m.zeros(new Shape())));
    }
  }

  @Test
  void scheduleOnTheDeviceIsTheConfiguredSchedule() {
    CoopConfig cfg = CoopConfig.defaults().withEpochs(50);
    try (NDManager m = model.newScope()) {
      float[] lr = TrainingRun.schedule(m, cfg).toFloatArray();
      assertEquals(50, lr.length);
      for (int e = 0; e < 50; e++) assertEquals(cfg.learningRate(e), lr[e], 1e-6 * cfg.lr(), "epoch " + e);
    }
  }

  @Test
  void trainingOnTheDeviceMatchesHostSgdOverAFewSteps() {
    // one batch of all four images per epoch, so each epoch is one step whatever the shuffle
    CoopConfig cfg = new CoopConfig(4, "a photo of a", false, CoopConfig.ClassPosition.END, 5, 4, 0.5, 0.9, 5e-4, 1,
        1e-5, 0, 7, true);
    float[][] features = Expected.rows("coop_image_feats");
    CoopTrainer trainer = new CoopTrainer(model, cfg);
    PromptModel device = trainer.train(features, LABELS, CLASSES);

    PromptLearner learner = new PromptLearner(model, CLASSES, cfg);
    float[] ctx = learner.initialContext();
    float[][] normalised = new float[features.length][];
    for (int i = 0; i < features.length; i++) normalised[i] = Features.normalise(features[i]);
    Sgd sgd = new Sgd(cfg.momentum(), cfg.weightDecay());
    for (int e = 0; e < cfg.epochs(); e++) {
      sgd.step(ctx, trainer.step(learner, ctx, normalised, LABELS).gradient(), cfg.learningRate(e));
    }
    float[] initial = learner.initialContext();
    double moved = 0;
    double apart = 0;
    for (int i = 0; i < ctx.length; i++) {
      moved = Math.max(moved, Math.abs(ctx[i] - initial[i]));
      apart = Math.max(apart, Math.abs(ctx[i] - device.context()[i]));
    }
    assertTrue(moved > 1e-3, "the reference training barely moved the context: " + moved);
    assertTrue(apart < 1e-4 * moved, "device and host training differ by " + apart + " (moved " + moved + ")");
  }

  @Test
  void progressIsReportedEveryEpoch() {
    List<double[]> seen = new ArrayList<>();
    CoopConfig cfg = CoopConfig.defaults().withEpochs(3);
    new CoopTrainer(model, cfg, (epoch, epochs, loss, accuracy) -> seen.add(new double[] {epoch, epochs, loss,
        accuracy})).train(Expected.rows("coop_image_feats"), LABELS, CLASSES);
    assertEquals(3, seen.size());
    for (int e = 0; e < 3; e++) {
      assertEquals(e, seen.get(e)[0]);
      assertEquals(3, seen.get(e)[1]);
      assertTrue(Double.isFinite(seen.get(e)[2]) && seen.get(e)[2] > 0, "loss " + seen.get(e)[2]);
      assertTrue(seen.get(e)[3] >= 0 && seen.get(e)[3] <= 1, "accuracy " + seen.get(e)[3]);
    }
  }
}
