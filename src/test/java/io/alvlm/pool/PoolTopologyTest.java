package io.alvlm.pool;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.service.AlvlmService;
import io.alvlm.service.ServiceTopology;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.topics.Topics;
import static org.junit.jupiter.api.Assertions.assertNull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.DeadLetter;
import io.alvlm.avro.ImageEmbedding;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.avro.VectorPrecision;
import io.alvlm.data.Fixtures;
import io.alvlm.data.Npy;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.Strategies;
import io.alvlm.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool sub-topology on TopologyTestDriver with the cec-small fixture as the pool. */
class PoolTopologyTest {
  private static final int IMAGES = 300;
  private static final int CLASSES = 20;
  private static final int DIM = 64;
  @TempDir Path state;
  private TopologyTestDriver driver;
  private Topics topics;
  private TestInputTopic<String, ImageEmbedding> embeddings;
  private TestInputTopic<String, Label> labels;
  private TestInputTopic<String, PromptModel> models;
  private TestInputTopic<String, io.alvlm.avro.RoundControl> control;
  private TestOutputTopic<String, AnnotationRequest> queries;
  private TestOutputTopic<String, QueryRound> rounds;
  private TestOutputTopic<String, TrainingEvent> training;
  private TestOutputTopic<byte[], DeadLetter> dlq;
  private float[] features;
  private float[] text;
  private final List<String> classNames = IntStream.range(0, CLASSES).mapToObj(i -> "class " + i).toList();

  /** Runs each round's selection when it is started, so a round applies in the punctuation that planned it. */
  private java.util.concurrent.Executor roundExecutor = Runnable::run;
  /** Settings a test adds to the pool's. */
  private Map<String, String> extra = Map.of();
  private ServiceMetrics metrics;

  @BeforeEach
  void start() throws IOException {
    open(state);
  }

  private void open(Path stateDir) throws IOException {
    features = Npy.readFloats(Fixtures.cecSmall().resolve("features.npy")).data();
    text = Npy.readFloats(Fixtures.cecSmall().resolve("text.npy")).data();
    Map<String, String> settings = new java.util.HashMap<>(Map.of("role", "pool", "classes", String.join(",", classNames),
        "query.budget", "10", "query.min-new", Integer.toString(IMAGES), "query.interval.ms", "3600000",
        "query.deadline.ms", "60000", "state.dir", stateDir.toString()));
    settings.putAll(extra);
    ServiceConfig c = ServiceConfig.of(settings);
    AvroSerdes serdes = AvroSerdes.singleObject();
    topics = new Topics(serdes);
    metrics = new ServiceMetrics(new SimpleMeterRegistry());
    var topo = ServiceTopology.build(c, serdes, new ServiceTopology.Parts(null, io.alvlm.pool.PoolParts.from(c), null, metrics,
        roundExecutor));
    Properties p = AlvlmService.streamsConfig(c);
    driver = new TopologyTestDriver(topo, p, Instant.ofEpochMilli(1_000_000));
    embeddings = driver.createInputTopic(topics.embeddings.name(), Serdes.String().serializer(), topics.embeddings.valueSerde().serializer());
    labels = driver.createInputTopic(topics.labels.name(), Serdes.String().serializer(), topics.labels.valueSerde().serializer());
    models = driver.createInputTopic(topics.models.name(), Serdes.String().serializer(), topics.models.valueSerde().serializer());
    control = driver.createInputTopic(topics.control.name(), Serdes.String().serializer(), topics.control.valueSerde().serializer());
    queries = driver.createOutputTopic(topics.queries.name(), Serdes.String().deserializer(), topics.queries.valueSerde().deserializer());
    rounds = driver.createOutputTopic(topics.rounds.name(), Serdes.String().deserializer(), topics.rounds.valueSerde().deserializer());
    training = driver.createOutputTopic(topics.training.name(), Serdes.String().deserializer(), topics.training.valueSerde().deserializer());
    dlq = driver.createOutputTopic(topics.dlq.name(), Serdes.ByteArray().deserializer(), topics.dlq.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void publishModel(long version) {
    models.pipeInput("default", PromptModel.newBuilder().setName("default").setVersion(version).setBaseModelId("fixture")
        .setClassNames(classNames).setNCtx(0).setCtxWidth(0).setContext(java.nio.ByteBuffer.allocate(0)).setDim(DIM)
        .setTextFeatures(VectorBytes.float32(text)).setLogitScale(100f).setCreatedAt(Instant.EPOCH).build());
  }

  private void sendImages(int from, int to) {
    for (int i = from; i < to; i++) sendVector("img" + i, Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM));
  }

  private void sendVector(String id, float[] v) {
    embeddings.pipeInput(id, ImageEmbedding.newBuilder().setId(id).setModelId("fixture")
        .setVector(VectorBytes.float32(v)).setPrecision(VectorPrecision.FLOAT32).setDim(DIM)
        .setImageTimestamp(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH).build());
  }

  private Label label(String id, String cls) {
    return Label.newBuilder().setId(id).setOutcome(LabelOutcome.LABELED).setClassName(cls).setAnnotator("test")
        .setLabeledAt(Instant.EPOCH).build();
  }

  private KeyValueStore<String, PoolEntry> pool() {
    return driver.getKeyValueStore(PoolStores.POOL);
  }

  private List<AnnotationRequest> openRound() {
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    return queries.readValuesToList();
  }

  @Test
  void opensARoundOnceMinNewImagesArrivedAndMarksPicksPending() {
    publishModel(0);
    sendImages(0, IMAGES - 1);
    assertTrue(openRound().isEmpty(), "no round before query.min-new images");
    sendImages(IMAGES - 1, IMAGES);
    List<AnnotationRequest> reqs = openRound();
    assertEquals(10, reqs.size());
    assertEquals(10, reqs.stream().map(AnnotationRequest::getId).distinct().count());
    for (AnnotationRequest r : reqs) {
      assertEquals(ImageStatus.PENDING, pool().get(r.getId()).getStatus());
      assertEquals(1, r.getRound());
      assertEquals(3, r.getGuesses().size());
      assertTrue(r.getGuesses().get(0).getProbability() >= r.getGuesses().get(1).getProbability());
      assertEquals(r.getCalibratedEntropy() + r.getNeighborEntropy(), r.getUncertainty(), 1e-4, "U = H + 1.0 * H_NN");
      assertTrue(r.getCluster() >= 0);
    }
    QueryRound round = rounds.readValue();
    assertEquals("min-new", round.getTrigger());
    assertEquals(IMAGES, round.getUnlabeled());
    assertEquals(CLASSES, round.getClassPrior().size());
    assertTrue(rounds.isEmpty());
    assertTrue(openRound().isEmpty(), "nothing new: no second round");
  }

  @Test
  void pacedByAnnotatorsARoundOpensWhenTheOpenRequestsFallBelowTheThreshold() throws IOException {
    driver.close();
    extra = Map.of("query.open-below", "4", "query.interval.ms", "1000");
    open(state.resolve("paced"));
    publishModel(0);
    sendImages(0, IMAGES);
    List<AnnotationRequest> first = openRound();
    assertEquals(10, first.size());
    assertEquals("min-new", rounds.readValue().getTrigger());
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    publishModel(1);
    assertTrue(openRound().isEmpty(), "10 requests open: neither the interval nor a new model opens a round");
    for (int i = 0; i < 6; i++) {
      labels.pipeInput(first.get(i).getId(), label(first.get(i).getId(), classNames.get(0)));
    }
    assertTrue(openRound().isEmpty(), "4 requests still open: not below 4");
    labels.pipeInput(first.get(6).getId(), label(first.get(6).getId(), classNames.get(0)));
    List<AnnotationRequest> second = openRound();
    assertEquals(10, second.size(), "3 open: the next round opens");
    assertEquals(2, second.get(0).getRound());
    assertEquals("model", rounds.readValue().getTrigger(), "the new model's round waited for the annotators");
    for (AnnotationRequest r : second) {
      labels.pipeInput(r.getId(), label(r.getId(), classNames.get(1)));
    }
    List<AnnotationRequest> third = openRound();
    assertEquals(10, third.size(), "3 open again, no new model and no new images: the threshold alone opens it");
    assertEquals("open-below", rounds.readValue().getTrigger());
  }

  @Test
  void labelsMoveImagesOnToTheTrainerAndCompleteTheRound() {
    publishModel(0);
    sendImages(0, IMAGES);
    List<AnnotationRequest> reqs = openRound();
    for (int i = 0; i < reqs.size(); i++) {
      labels.pipeInput(reqs.get(i).getId(), label(reqs.get(i).getId(), classNames.get(i % CLASSES)));
    }
    List<TrainingEvent> events = training.readValuesToList();
    assertEquals(11, events.size());
    assertEquals(10, events.stream().filter(e -> e.getType() == TrainingEventType.EXAMPLE).count());
    TrainingEvent last = events.get(events.size() - 1);
    assertEquals(TrainingEventType.ROUND_COMPLETE, last.getType());
    assertEquals(1, last.getRound());
    for (AnnotationRequest r : reqs) {
      assertEquals(ImageStatus.LABELED, pool().get(r.getId()).getStatus());
    }
    float[] sent = VectorBytes.decode(events.get(0).getVector(), DIM, false);
    int row = Integer.parseInt(events.get(0).getId().substring(3));
    assertEquals(features[row * DIM], sent[0], 0f, "the trainer gets the image's own features");
    assertTrue(dlq.isEmpty());
  }

  @Test
  void repeatIsANoOpAndConflictingRelabelIsKeptAndCounted() {
    publishModel(0);
    sendImages(0, IMAGES);
    openRound();
    labels.pipeInput("img5", label("img5", "class 1"));
    assertEquals(1, training.readValuesToList().size());
    labels.pipeInput("img5", label("img5", "class 1"));
    assertTrue(training.isEmpty(), "repeat of the same label changes nothing");
    labels.pipeInput("img5", label("img5", "class 2"));
    TrainingEvent relabel = training.readValue();
    assertEquals("class 2", relabel.getClassName());
    assertEquals("class 2", pool().get("img5").getClassName());
    assertEquals(1, pool().get("img5").getRelabels());
  }

  @Test
  void badLabelsGoToTheDeadLetterTopicWithTheirReason() {
    publishModel(0);
    sendImages(0, 5);
    labels.pipeInput("nope", label("nope", "class 1"));
    labels.pipeInput("img1", label("img1", "no such class"));
    labels.pipeInput("img2", label("img2", "x".repeat(10_000)));
    labels.pipeInput("img3", Label.newBuilder().setId("img3").setOutcome(LabelOutcome.LABELED).setClassName(null)
        .setAnnotator("t").setLabeledAt(Instant.EPOCH).build());
    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(List.of("unknown-image", "unknown-class", "malformed-record", "malformed-record"),
        letters.stream().map(DeadLetter::getReason).toList());
    for (DeadLetter d : letters) {
      assertEquals("pool", d.getStage());
      assertEquals(topics.labels.name(), d.getTopic());
      assertNotNull(d.getValue(), "the original label travels with the letter");
    }
    assertTrue(letters.get(1).getError().contains("no such class"));
    assertTrue(training.isEmpty());
    labels.pipeInput("img1", label("img1", "class 3"));
    assertEquals(1, training.readValuesToList().size(), "the task goes on after bad labels");
  }

  @Test
  void unansweredRequestsReturnToThePoolAtTheirDeadline() {
    publishModel(0);
    sendImages(0, IMAGES);
    List<AnnotationRequest> first = openRound();
    String id = first.get(0).getId();
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertEquals(ImageStatus.PENDING, pool().get(id).getStatus());
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    assertEquals(ImageStatus.UNLABELED, pool().get(id).getStatus());
    List<TrainingEvent> events = training.readValuesToList();
    assertEquals(1, events.size(), "an expired round counts as complete");
    assertEquals(TrainingEventType.ROUND_COMPLETE, events.get(0).getType());
  }

  @Test
  void aNewModelRescoresAndOpensARoundWithoutPickingPendingOrLabelledImages() {
    publishModel(0);
    sendImages(0, IMAGES);
    Set<String> first = openRound().stream().map(AnnotationRequest::getId).collect(Collectors.toSet());
    String labelled = first.iterator().next();
    labels.pipeInput(labelled, label(labelled, "class 0"));
    publishModel(1);
    List<AnnotationRequest> second = openRound();
    assertEquals(10, second.size());
    QueryRound r2 = rounds.readValuesToList().get(1);
    assertEquals("model", r2.getTrigger());
    assertEquals(1, r2.getModelVersion());
    Set<String> overlap = new HashSet<>(first);
    overlap.retainAll(second.stream().map(AnnotationRequest::getId).toList());
    assertTrue(overlap.isEmpty(), "pending and labelled images are never picked: " + overlap);
  }

  @Test
  void duplicateEmbeddingsAreKeptOnce() {
    publishModel(0);
    sendImages(0, 3);
    sendImages(0, 3);
    long count = 0;
    try (var it = pool().all()) {
      while (it.hasNext()) {
        it.next();
        count++;
      }
    }
    assertEquals(3, count);
    assertFalse(dlq.readValuesToList().stream().anyMatch(d -> true));
  }

  /** Holds the workers' jobs (folds and rounds) until the test lets them run. */
  private static final class HeldJobs implements java.util.concurrent.Executor {
    private final java.util.ArrayDeque<Runnable> jobs = new java.util.ArrayDeque<>();

    @Override
    public void execute(Runnable job) {
      jobs.add(job);
    }

    int runAll() {
      int n = 0;
      while (!jobs.isEmpty()) {
        jobs.poll().run();
        n++;
      }
      return n;
    }
  }

  @Test
  void aRoundAppliesInALaterPunctuationAndDropsPicksLabelledWhileItRan() throws IOException {
    driver.close();
    HeldJobs held = new HeldJobs();
    roundExecutor = held;
    open(state.resolve("held"));
    publishModel(0);
    sendImages(0, IMAGES);
    // the arrivals are folded into the lists by fold jobs, off the punctuation too; the round waits for them
    for (int i = 0; i < 10; i++) {
      assertTrue(openRound().isEmpty(), "no requests while folds or the round are held");
      if (unfolded() == 0) break; // the fold results were applied, and that punctuation started the round
      assertTrue(held.runAll() > 0, "a fold job was started and held");
    }
    assertEquals(0.0, unfolded(), "every arrival folded by the held jobs");
    assertTrue(rounds.isEmpty(), "the round runs on the worker, not in the punctuation");
    assertEquals(1, held.runAll(), "one round was started");
    // while the round's picks wait to be applied, every even image is labelled
    for (int i = 0; i < IMAGES; i += 2) {
      labels.pipeInput("img" + i, label("img" + i, classNames.get(0)));
    }
    List<AnnotationRequest> reqs = openRound();
    QueryRound round = rounds.readValue();
    assertEquals(10, round.getBudget());
    assertTrue(round.getDropped() > 0, "some picks were labelled meanwhile: " + round);
    assertEquals(10 - round.getDropped(), round.getSelected());
    assertEquals(round.getSelected(), reqs.size());
    assertFalse(reqs.isEmpty(), "the picks still eligible are requested");
    for (AnnotationRequest r : reqs) {
      assertEquals(1, Integer.parseInt(r.getId().substring(3)) % 2, r.getId() + " was labelled before the round applied");
      assertEquals(ImageStatus.PENDING, pool().get(r.getId()).getStatus());
    }
  }

  /**
   * A finished round is applied only once every pick's entry was read, a bounded slice a step (here
   * one pick a step), and then whole, in one step; no other round starts meanwhile.
   */
  @Test
  void aFinishedRoundReadsItsPicksOverSeveralStepsThenAppliesWhole() throws IOException {
    driver.close();
    HeldJobs held = new HeldJobs();
    roundExecutor = held;
    extra = Map.of("query.apply.read-ms", "0");
    open(state.resolve("read"));
    publishModel(0);
    sendImages(0, IMAGES);
    for (int i = 0; i < 10; i++) {
      openRound();
      if (unfolded() == 0) break; // the fold results were applied, and that punctuation started the round
      held.runAll();
    }
    assertEquals(1, held.runAll(), "one round was started");
    int steps = 0;
    List<AnnotationRequest> reqs = List.of();
    while (reqs.isEmpty() && steps < 50) {
      reqs = openRound();
      steps++;
      assertEquals(0, held.runAll(), "no other round starts while one waits to be applied");
    }
    assertEquals(10, reqs.size(), "the whole round at once");
    assertEquals(10, steps, "one pick read a step, applied in the step that read the last");
    assertEquals(1, rounds.readValuesToList().size());
  }

  @Test
  void neighbourListsAndRowsAreStoredWithTheImages() {
    publishModel(0);
    sendImages(0, 50);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    KeyValueStore<Integer, byte[]> lists = driver.getKeyValueStore(NeighborStore.STORE);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, pool().get("img" + i).getRow(), "rows follow arrival order");
      byte[] b = lists.get(i);
      assertNotNull(b, "row " + i + " has a stored list");
      assertEquals(10, java.nio.ByteBuffer.wrap(b).getInt(), "row " + i + " stores k neighbours");
    }
  }


  private double unfolded() {
    return metrics.registry().find("alvlm.pool.index.unfolded").gauge().value();
  }

  private double probedCells() {
    return metrics.registry().find("alvlm.pool.index.cells").gauge().value();
  }

  @Test
  void approximateNeighboursTrainCellsOffTheThreadAndStoreThemWithTheLists() throws IOException {
    driver.close();
    extra = Map.of("cec.neighbors", "approximate", "cec.neighbors.cells", "8", "cec.neighbors.nprobe", "3",
        "query.min-new", "100000");
    open(state);
    sendImages(0, 400);
    assertEquals(0.0, probedCells(), "400 rows train 8 cells (39 each) on an arrival; they are installed at the next "
        + "step with no fold job out, here a punctuation");
    for (int i = 0; i < 4 && probedCells() == 0; i++) driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertEquals(8.0, probedCells(), "cells trained on the worker, installed and every row filed");
    KeyValueStore<Integer, byte[]> lists = driver.getKeyValueStore(NeighborStore.STORE);
    for (int c = 0; c < 8; c++) assertNotNull(lists.get(-1 - c), "centroid " + c + " is stored");
    assertNull(lists.get(-9));
    sendImages(400, 450);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    for (int r = 0; r < 450; r++) {
      int cell = io.alvlm.selection.MaintainedNeighbors.cellOf(lists.get(r));
      assertTrue(cell >= 0 && cell < 8, "row " + r + " is stored with its cell");
      assertEquals(10, java.nio.ByteBuffer.wrap(lists.get(r)).getInt(), "row " + r + " has a full list");
    }
  }

  /**
   * While records stream in, a fold job starts as soon as the last one is taken; the cells must start
   * training on an arrival, not wait for a moment with no fold job out (at a million images that
   * meant five minutes of exact folding over the whole backlog first).
   */
  @Test
  void cellsTrainAndInstallBetweenRecordsWithNoPunctuation() throws IOException {
    driver.close();
    HeldJobs held = new HeldJobs();
    roundExecutor = held;
    extra = Map.of("cec.neighbors", "approximate", "cec.neighbors.cells", "8", "cec.neighbors.nprobe", "3",
        "query.min-new", "100000", "pool.fold.batch", "16");
    open(state.resolve("streaming"));
    sendImages(0, 400); // records only: the driver fires no punctuation unless its clock is advanced
    assertTrue(held.runAll() > 1, "fold jobs and the cells' training were started by arrivals");
    sendImages(400, 420);
    held.runAll();
    sendImages(420, 440);
    assertEquals(8.0, probedCells(), "cells trained and installed between records, no punctuation needed");
  }

  /** Images {@code img0..img(n-1)} of the fixture, each followed by a near-copy {@code copy<i>} (cosine about 0.995). */
  private void sendImagesWithCopies(int n) {
    java.util.Random r = new java.util.Random(11);
    sendImages(0, n);
    for (int i = 0; i < n; i++) {
      float[] v = Arrays.copyOfRange(features, i * DIM, (i + 1) * DIM);
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        v[d] += (float) (0.012 * r.nextGaussian());
        norm += v[d] * v[d];
      }
      for (int d = 0; d < DIM; d++) v[d] /= (float) Math.sqrt(norm);
      sendVector("copy" + i, v);
    }
  }

  private float[] vectorOf(String id) {
    return VectorBytes.decode(pool().get(id).getVector(), DIM, false);
  }

  private static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) s += a[d] * b[d];
    return s;
  }

  /** The pairs among {@code asked} at or above cosine 0.97, and those of {@code asked} with {@code held}. */
  private List<String> nearPairs(List<String> asked, Set<String> held) {
    List<String> pairs = new java.util.ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      for (int j = i + 1; j < asked.size(); j++) {
        if (cosine(vectorOf(asked.get(i)), vectorOf(asked.get(j))) >= 0.97) pairs.add(asked.get(i) + "~" + asked.get(j));
      }
      for (String h : held) {
        if (!h.equals(asked.get(i)) && cosine(vectorOf(asked.get(i)), vectorOf(h)) >= 0.97) pairs.add(asked.get(i) + "~" + h);
      }
    }
    return pairs;
  }

  private double counter(String name) {
    var c = metrics.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void dedupKeepsNearCopiesOutOfEachRoundAndOfLabelledAndPendingImages() throws IOException {
    for (String setting : List.of("off", "0.97")) {
      driver.close();
      extra = Map.of("query.strategy", "entropy", "query.min-new", "400", "query.dedup.cosine", setting,
          "query.recheck.share", "0");
      open(state.resolve("dedup-" + setting));
      publishModel(0);
      sendImagesWithCopies(200);
      List<String> first = openRound().stream().map(AnnotationRequest::getId).toList();
      assertEquals(10, first.size());
      QueryRound r1 = rounds.readValue();
      if (setting.equals("off")) {
        // the test's premise: entropy alone asks for both copies of its most uncertain images
        assertFalse(nearPairs(first, Set.of()).isEmpty(), "entropy without dedup asks for near-copies: " + first);
        assertEquals(0, r1.getDuplicates());
        continue;
      }
      assertEquals(List.of(), nearPairs(first, Set.of()), "no two images of a round are near-copies");
      assertTrue(r1.getDuplicates() > 0, "the round recorded the picks it turned down");
      assertEquals(r1.getDuplicates(), counter("alvlm.pool.duplicates"), 0);
      // label half the first round; the next round asks for no near-copy of the labelled or still pending images
      for (int i = 0; i < 5; i++) labels.pipeInput(first.get(i), label(first.get(i), "class 0"));
      publishModel(1);
      List<String> second = openRound().stream().map(AnnotationRequest::getId).toList();
      assertEquals(10, second.size());
      assertEquals(List.of(), nearPairs(second, new HashSet<>(first)), "no near-copy of a labelled or pending image");
      assertTrue(rounds.readValue().getDuplicates() > 0);
    }
  }

  @Test
  void suspectLabelsAreAskedAgainWithinTheShareAndTheAnswerCorrectsThem() throws IOException {
    long[] truth = Npy.readLongs(Fixtures.cecSmall().resolve("labels.npy")).data();
    for (String share : List.of("0", "0.2")) {
      driver.close();
      extra = Map.of("query.budget", "20", "query.recheck.share", share);
      open(state.resolve("recheck-" + share));
      publishModel(0);
      sendImages(0, IMAGES);
      Set<String> pending = openRound().stream().map(AnnotationRequest::getId).collect(Collectors.toSet());
      // 150 labels sent straight to the pool: the true class, except every 25th, which is wrong
      Set<String> wrong = new HashSet<>();
      int sent = 0;
      for (int i = 0; i < IMAGES && sent < 150; i++) {
        String id = "img" + i;
        if (pending.contains(id)) continue;
        int cls = (int) truth[i];
        if (sent++ % 25 == 0) {
          cls = (cls + 7) % CLASSES;
          wrong.add(id);
        }
        labels.pipeInput(id, label(id, classNames.get(cls)));
      }
      training.readValuesToList();
      publishModel(1);
      List<AnnotationRequest> second = openRound();
      assertEquals(20, second.size(), "rechecks come out of the round's budget");
      List<AnnotationRequest> rechecks = second.stream().filter(r -> r.getReason().equals("recheck")).toList();
      QueryRound r2 = rounds.readValuesToList().get(1);
      assertEquals(rechecks.size(), r2.getRechecks());
      assertEquals(20 - rechecks.size(), r2.getSelected());
      if (share.equals("0")) {
        assertEquals(List.of(), rechecks, "query.recheck.share=0 asks nothing again");
        continue;
      }
      assertEquals(4, rechecks.size(), "floor(0.2 × 20) of the suspects");
      assertEquals(4, counter("alvlm.rechecks"), 0);
      for (AnnotationRequest r : rechecks) {
        assertTrue(wrong.contains(r.getId()), r.getId() + " was labelled right and asked again");
        assertTrue(r.getQueryId().endsWith("-recheck"));
        assertEquals("test", r.getChecks(), "names whose label it checks, for the workbench to ask someone else");
        assertTrue(r.getScores().get("audit_margin") < 0, "a suspect's label loses to another class");
        assertEquals(ImageStatus.LABELED, pool().get(r.getId()).getStatus(), "the label stands until it is answered");
      }
      assertTrue(second.stream().filter(r -> r.getReason().equals("uncertain")).noneMatch(r -> wrong.contains(r.getId())));
      // the answer replaces the label as a correction and goes on to the trainer
      AnnotationRequest asked = rechecks.get(0);
      String right = classNames.get((int) truth[Integer.parseInt(asked.getId().substring(3))]);
      Label answer = label(asked.getId(), right);
      answer.setQueryId(asked.getQueryId());
      answer.setAnnotator("second");
      labels.pipeInput(asked.getId(), answer);
      assertEquals(right, pool().get(asked.getId()).getClassName());
      assertEquals(1 / 3.0, metrics.registry().find("alvlm.annotator.agreement").tag("annotator", "test").gauge().value(), 1e-9,
          "the recheck overturned the first annotator's label: (0 + 1) / (1 + 2)");
      // the same class again confirms the (corrected) label: one agreement for its annotator
      AnnotationRequest other = rechecks.get(1);
      String kept = pool().get(other.getId()).getClassName();
      Label confirm = label(other.getId(), kept);
      confirm.setQueryId(other.getQueryId());
      labels.pipeInput(other.getId(), confirm);
      assertEquals(kept, pool().get(other.getId()).getClassName());
      assertEquals(2 / 4.0, metrics.registry().find("alvlm.annotator.agreement").tag("annotator", "test").gauge().value(), 1e-9);
      assertEquals(1, pool().get(asked.getId()).getRelabels());
      TrainingEvent correction = training.readValue();
      assertEquals(right, correction.getClassName());
      assertEquals(asked.getId(), correction.getId());
      // a label is asked again once: the next round rechecks other suspects
      publishModel(2);
      Set<String> again = openRound().stream().filter(r -> r.getReason().equals("recheck")).map(AnnotationRequest::getId)
          .collect(Collectors.toSet());
      rechecks.forEach(r -> assertFalse(again.contains(r.getId()), r.getId() + " asked again twice"));
    }
  }

  private double gauge(String name) {
    var g = metrics.registry().find(name).gauge();
    return g == null ? Double.NaN : g.value();
  }

  /** Labels every open request of the last round with its top guess, and publishes the next model. */
  private List<AnnotationRequest> answerAndRetrain(List<AnnotationRequest> asked, long version) {
    for (AnnotationRequest r : asked) labels.pipeInput(r.getId(), label(r.getId(), r.getGuesses().get(0).getClassName()));
    publishModel(version);
    return openRound();
  }

  @Test
  void aStableStoppingRulePausesRoundsUntilThePoolGrows() throws IOException {
    for (String mode : List.of("never", "stable")) {
      driver.close();
      extra = Map.of("query.stop", mode, "query.stop.rounds", "3", "query.recheck.share", "0");
      open(state.resolve("stop-" + mode));
      publishModel(0);
      sendImages(0, IMAGES);
      List<AnnotationRequest> asked = openRound(); // the stop set is drawn and read with the zero-shot model
      // every model predicts as the zero-shot one: kappa 1, nothing changes, the curve is flat
      for (long v = 1; v <= 2; v++) {
        asked = answerAndRetrain(asked, v);
        assertEquals(10, asked.size(), mode + ": round after model " + v);
      }
      asked = answerAndRetrain(asked, 3);
      assertEquals(1.0, gauge("alvlm.stop.kappa"), 1e-9);
      if (mode.equals("never")) {
        assertEquals(10, asked.size(), "never: rounds go on");
        assertEquals(0.0, gauge("alvlm.stop.paused"));
        List<QueryRound> opened = rounds.readValuesToList();
        assertNull(opened.get(0).getStopKappa(), "the first round's model is the baseline");
        opened.subList(1, opened.size()).forEach(r -> assertEquals(1.0, r.getStopKappa(), 1e-9, "round " + r.getRound()));
        continue;
      }
      assertEquals(List.of(), asked, "stable: the third agreeing model stops the rounds");
      assertEquals(1.0, gauge("alvlm.stop.paused"));
      sendImages(IMAGES, IMAGES + 20);
      assertEquals(List.of(), openRound(), "20 new images are under a tenth of the pool");
      sendImages(IMAGES + 20, IMAGES + 30);
      assertEquals(10, openRound().size(), "a tenth more images resume the rounds");
      assertEquals(0.0, gauge("alvlm.stop.paused"));
    }
  }

  private io.alvlm.avro.StopState stopState() {
    KeyValueStore<String, io.alvlm.avro.StopState> s = driver.getKeyValueStore(PoolStores.STOP);
    return s.get(StopCheck.KEY);
  }

  private static io.alvlm.avro.RoundControl resume() {
    return new io.alvlm.avro.RoundControl(io.alvlm.avro.RoundAction.RESUME, "operator", Instant.EPOCH);
  }

  @Test
  void anOperatorsResumeOpensRoundsTheStoppingRulePaused() throws IOException {
    driver.close();
    extra = Map.of("query.stop", "stable", "query.stop.rounds", "2", "query.recheck.share", "0");
    open(state.resolve("stop-resume"));
    publishModel(0);
    sendImages(0, IMAGES);
    List<AnnotationRequest> asked = openRound();
    control.pipeInput("rounds", resume()); // while rounds run, a resume does nothing
    asked = answerAndRetrain(asked, 1);
    assertEquals(10, asked.size(), "the early resume did not count");
    asked = answerAndRetrain(asked, 2);
    assertEquals(List.of(), asked, "the second agreeing model stops the rounds");
    io.alvlm.avro.StopState paused = stopState();
    assertTrue(paused.getFired());
    assertEquals(IMAGES, paused.getSizeAtFiring());
    assertEquals(Math.min(1000, IMAGES), paused.getStopRows().size(), "drawn from the unlabelled images before the first round");
    assertEquals(List.of(10, 20), paused.getCurveLabels(), "each later model's labels");
    assertEquals(List.of(), openRound(), "paused: no round however long it waits");
    control.pipeInput("rounds", resume());
    assertEquals(0.0, gauge("alvlm.stop.paused"));
    assertFalse(stopState().getFired());
    assertEquals(-1, stopState().getSizeAtFiring());
    assertEquals(List.of(10, 20), stopState().getCurveLabels(), "the curve is kept");
    assertEquals(10, openRound().size(), "the operator's resume opens the rounds");
  }

  /** The near-copy of {@code id} that {@link #sendImagesWithCopies} sent: img i and copy i. */
  private static String twin(String id) {
    return id.startsWith("img") ? "copy" + id.substring(3) : "img" + id.substring(4);
  }

  @Test
  void propagationGivesNearCopiesOfAnsweredImagesTheirLabelAndTheyFollowCorrections() throws IOException {
    for (String propagate : List.of("false", "true")) {
      driver.close();
      extra = Map.of("query.strategy", "entropy", "query.min-new", "400", "query.recheck.share", "0",
          "query.dedup.propagate", propagate);
      open(state.resolve("propagate-" + propagate));
      publishModel(0);
      sendImagesWithCopies(200);
      List<String> first = openRound().stream().map(AnnotationRequest::getId).toList();
      for (String id : first) labels.pipeInput(id, label(id, "class 3"));
      assertEquals(10, training.readValuesToList().stream().filter(t -> t.getType() == TrainingEventType.EXAMPLE).count());
      publishModel(1);
      List<String> second = openRound().stream().map(AnnotationRequest::getId).toList();
      assertEquals(10, second.size());
      if (propagate.equals("false")) {
        first.forEach(id -> assertEquals(ImageStatus.UNLABELED, pool().get(twin(id)).getStatus(), "no propagation: " + twin(id)));
        assertEquals(0, counter("alvlm.pseudo.labels"), 0);
        continue;
      }
      for (String id : first) {
        PoolEntry copy = pool().get(twin(id));
        assertEquals(ImageStatus.LABELED, copy.getStatus(), twin(id) + " left the unlabelled pool");
        assertEquals("class 3", copy.getClassName());
        assertEquals(id, copy.getPseudoFrom());
        assertNull(copy.getAnnotator(), "nobody answered it");
        assertFalse(second.contains(twin(id)));
      }
      assertNull(pool().get(first.get(0)).getPseudoFrom(), "an answer is no pseudo-label");
      assertEquals(10, counter("alvlm.pseudo.labels"), 0);
      assertEquals(10, gauge("alvlm.pseudo.labels.held"));
      assertEquals(List.of(), training.readValuesToList(), "pseudo-labels do not train");
      assertEquals(10, rounds.readValuesToList().get(1).getLabeled(), "a round counts answers, not pseudo-labels");

      // a correction of the source reaches its copy; "none of these" sends the copy back to the pool
      String source = first.get(0);
      labels.pipeInput(source, label(source, "class 4"));
      assertEquals("class 4", pool().get(twin(source)).getClassName());
      String other = first.get(1);
      labels.pipeInput(other, Label.newBuilder(label(other, null)).setOutcome(LabelOutcome.NONE_OF_THESE).build());
      assertEquals(ImageStatus.UNLABELED, pool().get(twin(other)).getStatus());
      assertNull(pool().get(twin(other)).getPseudoFrom());
      assertEquals(9, gauge("alvlm.pseudo.labels.held"));
      // an answer for a pseudo-labelled image replaces the pseudo-label and trains
      training.readValuesToList();
      String answered = twin(first.get(2));
      labels.pipeInput(answered, label(answered, "class 3"));
      assertNull(pool().get(answered).getPseudoFrom());
      assertEquals(List.of(answered), training.readValuesToList().stream().map(TrainingEvent::getId).toList());
      assertEquals(8, gauge("alvlm.pseudo.labels.held"));
    }
  }
}
