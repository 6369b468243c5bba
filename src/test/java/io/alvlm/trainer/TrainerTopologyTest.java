package io.alvlm.trainer;

import io.alvlm.config.ServiceConfig;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceHarness;
import io.alvlm.service.ServiceTopology;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.PromptModel;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.clip.ClipModel;
import io.alvlm.data.Fixtures;
import io.alvlm.data.VectorBytes;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer sub-topology on TopologyTestDriver with the tiny CLIP and CoOp. */
class TrainerTopologyTest {
  private static final int DIM = 32;
  private static ClipModel clip;
  @TempDir Path state;
  private TopologyTestDriver driver;
  private TestInputTopic<String, TrainingEvent> training;
  private TestInputTopic<String, PromptModel> modelsIn;
  private TestOutputTopic<String, PromptModel> modelsOut;
  private TestOutputTopic<byte[], io.alvlm.avro.DeadLetter> deadLetters;

  @BeforeAll
  static void load() throws IOException {
    clip = ClipModel.load(Fixtures.clipTinyModel());
  }

  @AfterAll
  static void unload() {
    clip.close();
  }

  private SimpleMeterRegistry registry;

  private void start(String gate) {
    start(gate, c -> CoopPromptTrainer.from(c, clip));
  }

  /** The trainer sub-topology; retrainings run inline, so a retraining applies in the punctuation that started it. */
  private void start(String gate, java.util.function.Function<ServiceConfig, PromptTrainer> trainer) {
    start(gate, trainer, Runnable::run);
  }

  private void start(String gate, java.util.function.Function<ServiceConfig, PromptTrainer> trainer,
      java.util.concurrent.Executor jobs) {
    Map<String, String> s = new HashMap<>(Map.of("role", "trainer", "classes", String.join(",", ServiceHarness.CLASSES),
        "train.min-new-labels", "20", "train.epochs", "2", "train.holdout", "0.5", "train.gate", gate,
        "query.tick.ms", "100", "train.retry.ms", "1000", "state.dir", state.toString()));
    ServiceConfig c = ServiceConfig.of(s);
    Topics topics = new Topics(AvroSerdes.singleObject());
    registry = new SimpleMeterRegistry();
    ServiceMetrics metrics = new ServiceMetrics(registry);
    var topo = ServiceTopology.build(c, AvroSerdes.singleObject(),
        new ServiceTopology.Parts(null, null, trainer.apply(c), metrics, jobs));
    driver = new TopologyTestDriver(topo, AlvlmService.streamsConfig(c), Instant.ofEpochMilli(1_000_000));
    training = driver.createInputTopic(topics.training.name(), Serdes.String().serializer(), topics.training.valueSerde().serializer());
    modelsIn = driver.createInputTopic(topics.models.name(), Serdes.String().serializer(), topics.models.valueSerde().serializer());
    modelsOut = driver.createOutputTopic(topics.models.name(), Serdes.String().deserializer(), topics.models.valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.dlq.name(), Serdes.ByteArray().deserializer(), topics.dlq.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) driver.close();
  }

  private static float[] axis(int c) {
    float[] v = new float[DIM];
    v[c] = 1f;
    return v;
  }

  /** A model whose class c text feature is axis c: perfect on the examples below. */
  private static PromptModel perfect(long version) {
    float[] t = new float[ServiceHarness.CLASSES.size() * DIM];
    for (int c = 0; c < ServiceHarness.CLASSES.size(); c++) t[c * DIM + c] = 1f;
    return PromptModel.newBuilder().setName("default").setVersion(version).setBaseModelId("test")
        .setClassNames(ServiceHarness.CLASSES).setNCtx(0).setCtxWidth(0).setContext(ByteBuffer.allocate(0)).setDim(DIM)
        .setTextFeatures(VectorBytes.float32(t)).setLogitScale(100f).setCreatedAt(Instant.EPOCH).build();
  }

  private void sendExamples(int perClass) {
    for (int c = 0; c < ServiceHarness.CLASSES.size(); c++) {
      for (int k = 0; k < perClass; k++) {
        String id = "img-" + c + "-" + k;
        training.pipeInput(id, TrainingEvent.newBuilder().setType(TrainingEventType.EXAMPLE).setId(id)
            .setClassName(ServiceHarness.CLASSES.get(c)).setVector(VectorBytes.float32(axis(c))).setDim(DIM)
            .setAt(Instant.EPOCH).build());
      }
    }
  }

  @Test
  void publishesTheZeroShotModelOnceWhenNoneExists() {
    start("not-worse");
    driver.advanceWallClockTime(Duration.ofMillis(200));
    driver.advanceWallClockTime(Duration.ofMillis(200));
    List<PromptModel> out = modelsOut.readValuesToList();
    assertEquals(1, out.size());
    assertEquals(0, out.get(0).getVersion());
    assertEquals(ServiceHarness.CLASSES, out.get(0).getClassNames());
    assertEquals(clip.projectionDim(), out.get(0).getDim());
  }

  @Test
  void retrainsOnceEnoughLabelsArrivedAndVersionsUp() {
    start("always");
    modelsIn.pipeInput("default", perfect(3));
    sendExamples(1);
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertTrue(modelsOut.isEmpty(), "10 labels are fewer than train.min-new-labels=20");
    sendExamples(2);
    driver.advanceWallClockTime(Duration.ofMillis(200));
    PromptModel next = modelsOut.readValue();
    assertEquals(4, next.getVersion());
    Map<String, Double> m = next.getMetrics();
    assertEquals(20.0, m.get("train_labels") + m.get("heldout_labels"), "every distinct labelled image is used once");
    assertEquals(1.0, m.get("current_accuracy"), "the current model is evaluated on the same held-out labels");
  }

  @Test
  void aRoundCompletionRetrainsWithFewerLabels() {
    start("always");
    modelsIn.pipeInput("default", perfect(0));
    sendExamples(1);
    training.pipeInput("round-1", TrainingEvent.newBuilder().setType(TrainingEventType.ROUND_COMPLETE).setId("1").setRound(1)
        .setAt(Instant.EPOCH).build());
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertEquals(1, modelsOut.readValue().getVersion());
  }

  @Test
  void theNotWorseGateKeepsABetterCurrentModel() {
    start("not-worse");
    modelsIn.pipeInput("default", perfect(7));
    sendExamples(3);
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertEquals(1, registry.get("alvlm.trainer.train").timer().count(), "a retraining ran");
    assertEquals(1.0, registry.get("alvlm.training.rejected").tag("reason", "gate").counter().count(),
        "and the gate refused its candidate");
    assertTrue(modelsOut.isEmpty(), "a candidate below the current model's held-out accuracy is not published");
  }

  @Test
  void aFailedTrainingKeepsTheModelIsRecordedAndIsRetriedWithTheSameLabels() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    java.util.List<Integer> labelsSeen = new java.util.ArrayList<>();
    start("always", c -> new Intercepted(CoopPromptTrainer.from(c, clip), (features, labels, current, cancelled, real) -> {
      labelsSeen.add(labels.length);
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("injected failure");
      }
      return real.get();
    }));
    modelsIn.pipeInput("default", perfect(5));
    sendExamples(3);
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertEquals(1, calls.get());
    assertTrue(modelsOut.isEmpty(), "the current model stays");
    assertEquals(1.0, registry.get("alvlm.training.rejected").tag("reason", "error").counter().count());
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertEquals(1, calls.get(), "no retry before train.retry.ms");
    driver.advanceWallClockTime(Duration.ofMillis(1000));
    assertEquals(2, calls.get(), "retried after train.retry.ms");
    assertEquals(labelsSeen.get(0), labelsSeen.get(1), "the retry trains on the labels that triggered the failed one");
    PromptModel retried = modelsOut.readValue();
    assertEquals(6, retried.getVersion(), "the retry's model is the next version: none skipped");
    assertEquals(1.0, retried.getMetrics().get("failures_error"), "the failure and its reason are in the model history");
    assertTrue(deadLetters.isEmpty(), "a failed training is an outcome, not a dead letter");
  }

  @Test
  void aTrainingPastTheTimeLimitIsCancelled() {
    Map<String, Boolean> asked = new HashMap<>();
    start("always", c -> {
      PromptTrainer real = CoopPromptTrainer.from(c, clip);
      return new Intercepted(real, (features, labels, current, cancelled, proceed) -> {
        asked.put("limit", true);
        return real.train(ServiceHarness.CLASSES, features, labels, current, () -> true);
      });
    });
    modelsIn.pipeInput("default", perfect(2));
    sendExamples(3);
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertEquals(Boolean.TRUE, asked.get("limit"));
    assertEquals(1.0, registry.get("alvlm.training.rejected").tag("reason", "timeout").counter().count());
    assertTrue(modelsOut.isEmpty(), "the current model stays");
    assertTrue(deadLetters.isEmpty(), "a cancelled training is no dead letter");
  }

  /**
   * A task closed by a rebalance or a shutdown must not leave its retraining running on the model
   * (the next owner starts its own, and a shutdown then closes the model).
   */
  @Test
  void closingTheTaskStopsItsRunningRetraining() throws Exception {
    java.util.concurrent.ExecutorService jobs = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "test-retraining");
      t.setDaemon(true); // a retraining that never stops must not keep the test JVM alive
      return t;
    });
    java.util.concurrent.CountDownLatch epochs = new java.util.concurrent.CountDownLatch(3);
    java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean giveUp = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      start("always", c -> {
        // effectively endless: only a cancellation ends it
        Map<String, String> longer = new HashMap<>(c.asMap());
        longer.put("train.epochs", "1000000");
        PromptTrainer real = CoopPromptTrainer.from(ServiceConfig.of(longer), clip, (e, n, loss, acc) -> epochs.countDown());
        return new Intercepted(real, (features, labels, current, cancelled, proceed) -> {
          try {
            // what the task asks, or the test giving up: without the task's cancel the test fails, not hangs
            return real.train(ServiceHarness.CLASSES, features, labels, current,
                () -> cancelled.getAsBoolean() || giveUp.get());
          } catch (RuntimeException e) {
            outcome.set(e);
            throw e;
          }
        });
      }, jobs);
      modelsIn.pipeInput("default", perfect(2));
      sendExamples(3);
      driver.advanceWallClockTime(Duration.ofMillis(200));
      assertTrue(epochs.await(60, java.util.concurrent.TimeUnit.SECONDS), "the retraining runs on the worker");

      driver.close();
      driver = null;

      jobs.shutdown();
      assertTrue(jobs.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS), "the retraining stopped");
      assertTrue(outcome.get() instanceof java.util.concurrent.CancellationException, "cancelled, got " + outcome.get());
    } finally {
      giveUp.set(true);
      jobs.shutdownNow();
    }
  }

  /** What an {@link Intercepted} trainer does instead of training; {@code proceed} trains as the real one would. */
  private interface Interception {
    PromptModel train(float[][] features, int[] labels, PromptModel current, java.util.function.BooleanSupplier cancelled,
        java.util.function.Supplier<PromptModel> proceed);
  }

  /** The real trainer with its {@code train} routed through an {@link Interception} (to inject failures). */
  private static final class Intercepted implements PromptTrainer {
    private final PromptTrainer real;
    private final Interception interception;

    Intercepted(PromptTrainer real, Interception interception) {
      this.real = real;
      this.interception = interception;
    }

    @Override
    public PromptModel zeroShot(List<String> classNames) {
      return real.zeroShot(classNames);
    }

    @Override
    public PromptModel train(List<String> classNames, float[][] features, int[] labels, PromptModel current,
        java.util.function.BooleanSupplier cancelled) {
      return interception.train(features, labels, current, cancelled,
          () -> real.train(classNames, features, labels, current, cancelled));
    }

    @Override
    public void close() {}
  }
}
