package io.alvlm.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alvlm.avro.AnnotationRequest;
import io.alvlm.avro.ImageStatus;
import io.alvlm.avro.Label;
import io.alvlm.avro.LabelOutcome;
import io.alvlm.avro.PickScores;
import io.alvlm.avro.PoolEntry;
import io.alvlm.avro.PromptModel;
import io.alvlm.avro.QueryRound;
import io.alvlm.avro.TrainingEvent;
import io.alvlm.avro.TrainingEventType;
import io.alvlm.data.VectorBytes;
import io.alvlm.selection.FeaturePrecision;
import io.alvlm.selection.NeighborSearch;
import io.alvlm.selection.PoolStatus;
import io.alvlm.selection.Budget;
import io.alvlm.selection.RandomStrategy;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.serde.SingleObjectAvroFormat;
import io.alvlm.stream.ModelStore;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool task's parts, each on real in-memory stores without a topology: what they store and what they send. */
class PoolPartsTest {
  private static final int DIM = 8;
  private static final List<String> CLASSES = List.of("cat", "dog", "fox");
  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
  private final ServiceMetrics metrics = new ServiceMetrics(new SimpleMeterRegistry());
  private final Sent sent = new Sent();
  private final DeadlineQueue deadlines = new DeadlineQueue();
  private PoolState state;
  private KeyValueStore<String, Long> metaStore;

  /** What the parts sent, by kind. */
  private static final class Sent implements PoolOutputs {
    final List<TrainingEvent> training = new ArrayList<>();
    final List<AnnotationRequest> requests = new ArrayList<>();
    final List<QueryRound> rounds = new ArrayList<>();
    final List<String> refused = new ArrayList<>();
    final List<io.alvlm.avro.PoolNotice> notices = new ArrayList<>();

    @Override
    public void notice(io.alvlm.avro.PoolNotice notice, long now) {
      notices.add(notice);
    }

    @Override
    public void training(String key, TrainingEvent event, long now) {
      training.add(event);
    }

    @Override
    public void request(String id, AnnotationRequest request, long now) {
      requests.add(request);
    }

    @Override
    public void round(QueryRound round, long now) {
      rounds.add(round);
    }

    @Override
    public void refuse(String id, SpecificRecord value, String reason, String message) {
      refused.add(reason + ": " + message);
    }
  }

  private <V> KeyValueStore<String, V> store(String name, org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<String, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
        .withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    return s;
  }

  private KeyValueStore<String, io.alvlm.avro.AgreementCount> agreementStore() {
    return store(PoolStores.AGREEMENT, AvroSerdes.singleObject().value(io.alvlm.avro.AgreementCount.class));
  }

  @BeforeEach
  void pool() {
    metaStore = store(PoolMeta.STORE, Serdes.Long());
    state = new PoolState(store(PoolStores.POOL, AvroSerdes.singleObject().value(PoolEntry.class)), new PoolMeta(metaStore),
        CLASSES, 3, NeighborSearch.exact(), FeaturePrecision.FP32);
    Random r = new Random(1);
    for (int i = 0; i < 12; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) v[d] = (float) r.nextGaussian();
      String id = "img" + i;
      int row = state.index(DIM).nextRow();
      state.pool.put(id, PoolEntry.newBuilder().setId(id).setUri("file:" + id).setVector(VectorBytes.float32(v)).setHalf(false)
          .setDim(DIM).setStatus(ImageStatus.UNLABELED).setArrivedAt(Instant.EPOCH).setRow(row).build());
      state.index().place(id, row, v, PoolStatus.UNLABELED, -1, null);
      state.meta.arrived();
    }
  }

  /** Marks {@code id} pending in {@code round} until {@code deadline}, as an applied round does. */
  private void pending(String id, long round, long deadline) {
    PoolEntry e = state.pool.get(id);
    e.setStatus(ImageStatus.PENDING);
    e.setDeadline(deadline);
    e.setRounds(List.of(round));
    state.pool.put(id, e);
    state.index().setStatus(state.index().row(id), PoolStatus.PENDING, -1);
    deadlines.add(new PendingRequest(id, deadline));
  }

  private static Label label(String id, LabelOutcome outcome, String cls) {
    return Label.newBuilder().setId(id).setOutcome(outcome).setClassName(cls).setAnnotator("a").setLabeledAt(Instant.EPOCH)
        .build();
  }

  @Test
  void deadlinesComeDueEarliestFirstAndDroppedOnesNever() {
    DeadlineQueue q = new DeadlineQueue();
    q.add(new PendingRequest("b", 20));
    q.add(new PendingRequest("a", 10));
    q.add(new PendingRequest("c", 20));
    q.add(new PendingRequest("d", 30));
    q.drop("c", 20);
    assertEquals(List.of(), q.due(9));
    assertEquals(List.of("a", "b"), q.due(25));
    assertEquals(1, q.size());
    assertEquals(List.of("d"), q.due(Long.MAX_VALUE));
  }

  @Test
  void answeringTheLastRequestOfARoundLabelsTheImageAndCompletesTheRound() {
    state.meta.opened(1, 0, 2, 0);
    pending("img1", 1, 5_000);
    pending("img2", 1, 5_000);
    LabelApplication labels = new LabelApplication(state, deadlines, agreementStore(), new PoolNotices(sent), sent, metrics);
    labels.apply("img1", label("img1", LabelOutcome.LABELED, "dog"), 100);
    assertEquals(ImageStatus.LABELED, state.pool.get("img1").getStatus());
    assertEquals("dog", state.pool.get("img1").getClassName());
    assertEquals(PoolStatus.LABELED, state.index().status(state.index().row("img1")));
    assertEquals(List.of(TrainingEventType.EXAMPLE), sent.training.stream().map(TrainingEvent::getType).toList());
    assertEquals(1, sent.training.get(0).getRound());
    labels.apply("img2", label("img2", LabelOutcome.SKIPPED, null), 200);
    assertEquals(ImageStatus.UNLABELED, state.pool.get("img2").getStatus());
    assertEquals(TrainingEventType.ROUND_COMPLETE, sent.training.get(1).getType(), "the round's last answer completes it");
    assertEquals(0, deadlines.size(), "answered requests leave the deadline queue");
  }

  @Test
  void labelsForUnknownImagesOrClassesAreRefusedAndChangeNothing() {
    LabelApplication labels = new LabelApplication(state, deadlines, agreementStore(), new PoolNotices(sent), sent, metrics);
    labels.apply("nope", label("nope", LabelOutcome.LABELED, "dog"), 1);
    labels.apply("img3", label("img3", LabelOutcome.LABELED, "wolf"), 1);
    labels.apply("img4", label("img5", LabelOutcome.LABELED, "dog"), 1);
    assertEquals(3, sent.refused.size());
    assertTrue(sent.refused.get(0).startsWith("unknown-image"), sent.refused.get(0));
    assertTrue(sent.refused.get(1).startsWith("unknown-class"), sent.refused.get(1));
    assertTrue(sent.refused.get(2).startsWith("malformed-record"), sent.refused.get(2));
    assertEquals(ImageStatus.UNLABELED, state.pool.get("img3").getStatus());
    assertTrue(sent.training.isEmpty());
  }

  @Test
  void anExpiredRequestReturnsToThePoolAndCompletesItsRound() {
    state.meta.opened(4, 0, 1, 0);
    pending("img6", 4, 1_000);
    LabelApplication labels = new LabelApplication(state, deadlines, agreementStore(), new PoolNotices(sent), sent, metrics);
    labels.expire(999);
    assertEquals(ImageStatus.PENDING, state.pool.get("img6").getStatus());
    labels.expire(1_000);
    assertEquals(ImageStatus.UNLABELED, state.pool.get("img6").getStatus());
    assertEquals(0, state.pool.get("img6").getDeadline());
    assertEquals(PoolStatus.UNLABELED, state.index().status(state.index().row("img6")));
    assertEquals(List.of(TrainingEventType.ROUND_COMPLETE), sent.training.stream().map(TrainingEvent::getType).toList());
  }

  @Test
  void poolMetaCountsARoundsOpenRequestsDown() {
    PoolMeta meta = state.meta;
    assertEquals(12, meta.newSinceRound());
    meta.opened(1, 500, 2, 10);
    assertEquals(1, meta.round());
    assertEquals(500, meta.lastRoundAt());
    assertEquals(2, meta.newSinceRound(), "arrivals after the round's snapshot still count");
    assertFalse(meta.answered(1));
    assertTrue(meta.answered(1));
    assertFalse(meta.answered(1), "a round completes once");
    assertEquals(-1, meta.scoredVersion());
    meta.scoredWith(3);
    assertEquals(3, meta.scoredVersion());
    assertEquals(700, meta.startedAt(700));
    assertEquals(700, meta.startedAt(900), "the first tick's time is kept");
  }

  private KeyValueStore<String, PromptModel> models(long version) {
    KeyValueStore<String, PromptModel> models = store(ModelStore.NAME, AvroSerdes.singleObject().value(PromptModel.class));
    Random r = new Random(2);
    float[] text = new float[CLASSES.size() * DIM];
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    models.put("default", PromptModel.newBuilder().setName("default").setVersion(version).setBaseModelId("fixture")
        .setClassNames(CLASSES).setNCtx(0).setCtxWidth(0).setContext(ByteBuffer.allocate(0)).setDim(DIM)
        .setTextFeatures(VectorBytes.float32(text)).setLogitScale(100f).setCreatedAt(Instant.EPOCH).build());
    return models;
  }

  @Test
  void theModelIsDecodedOncePerVersion() {
    KeyValueStore<String, PromptModel> store = models(3);
    ModelStore models = new ModelStore(store, "default");
    var first = models.current().orElseThrow();
    assertSame(first, models.current().orElseThrow());
    PromptModel next = store.get("default");
    next.setVersion(4);
    store.put("default", next);
    var second = models.current().orElseThrow();
    assertNotSame(first, second);
    assertEquals(4, second.version());
  }

  @Test
  void aDueRoundIsSelectedOnTheWorkerAndAppliedInALaterStep() {
    SingleObjectAvroFormat<PickScores> scoresFormat = new SingleObjectAvroFormat<>(PickScores.class);
    KeyValueStore<String, PickScores> scores = store(QueryRounds.SCORES_STORE, Serdes.serdeFrom(scoresFormat, scoresFormat));
    KeyValueStore<Long, QueryRound> rounds = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("rounds"),
        Serdes.Long(), AvroSerdes.singleObject().value(QueryRound.class)).withLoggingDisabled().build();
    rounds.init(context.getStateStoreContext(), rounds);
    RoundSettings settings = new RoundSettings(Budget.parse("4"), 60_000, 10, 0, 30_000, 250, 7, "app",
        io.alvlm.selection.PoolThreads.of(2));
    SpendingRules plain = new SpendingRules(java.util.Optional.empty(), false, 0, 0.25, io.alvlm.selection.ColdStart.NONE,
        new io.alvlm.stopping.StoppingRule.Settings(io.alvlm.stopping.StoppingRule.Mode.NEVER, 0.94, 3, 0.0005, 1000));
    QueryRounds queryRounds = new QueryRounds(new RandomStrategy(), plain, settings, metrics, state, rounds, scores, sent);
    List<Runnable> held = new ArrayList<>();
    RoundDriver driver = new RoundDriver(state, queryRounds, Worker.on(held::add), new ModelStore(models(0), "default"),
        deadlines, settings, new StopCheck(plain.stop(), 7, store(PoolStores.STOP, AvroSerdes.singleObject().value(io.alvlm.avro.StopState.class)),
        new PoolNotices(sent), metrics), metrics);
    io.alvlm.selection.BlockProduct cpu = new io.alvlm.selection.BlockProduct(io.alvlm.selection.Compute.cpu());
    while (!state.index().current()) state.index().maintain(16, cpu);
    driver.maybeStart(1_000); // 12 arrivals >= query.min-new 10
    assertTrue(driver.busy());
    assertEquals(1, held.size(), "the selection waits on the worker");
    driver.maybeStart(1_100);
    assertEquals(1, held.size(), "one round at a time");
    held.get(0).run();
    driver.applyFinished(2_000);
    assertFalse(driver.busy());
    assertEquals(4, sent.requests.size());
    assertEquals(1, sent.rounds.size());
    assertEquals("min-new", sent.rounds.get(0).getTrigger());
    assertEquals(4, deadlines.size());
    assertEquals(List.of(), deadlines.due(31_999));
    for (AnnotationRequest r : sent.requests) {
      assertEquals(ImageStatus.PENDING, state.pool.get(r.getId()).getStatus());
      assertEquals("app-r1-" + r.getId(), r.getQueryId());
      PickScores s = scores.get(r.getId());
      assertEquals(1, s.getRound());
      assertEquals(0, s.getModelVersion());
    }
    assertEquals(1, state.meta.round());
    assertEquals(0, state.meta.scoredVersion(), "the zero-shot model is scored without a round of its own");
  }

  @Test
  void aPicksNaNScorePartsAreLeftOutOfItsRecord() {
    PickScores s = QueryRounds.scoreRecord(5, 2, Map.of("uncertainty", 0.5, "neighbor_entropy", Double.NaN));
    assertEquals(Map.of("uncertainty", 0.5), Map.copyOf(s.getParts()));
    assertEquals(5, s.getRound());
  }

  @Test
  void foldedListsAreStoredAndARestoreReadsThemBackWithoutRecomputing() {
    KeyValueStore<Integer, byte[]> raw = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(NeighborStore.STORE),
        Serdes.Integer(), Serdes.ByteArray()).withLoggingDisabled().build();
    raw.init(context.getStateStoreContext(), raw);
    NeighborStore store = new NeighborStore(raw);
    NeighborMaintenance maintenance = new NeighborMaintenance(state::index, store, Worker.on(Runnable::run), Worker.on(Runnable::run),
        new NeighborMaintenance.Settings(4, Long.MAX_VALUE, NeighborSearch.exact(), io.alvlm.selection.Compute.Settings.defaults(), 1,
            io.alvlm.selection.PoolThreads.of(2)),
        new SlowSteps(metrics));
    for (int i = 0; i < 5 && !state.index().current(); i++) maintenance.tick(); // 12 arrivals, 4 a fold job
    assertTrue(state.index().current());
    assertEquals(12, java.util.Arrays.stream(store.lists()).filter(java.util.Objects::nonNull).count(), "one stored list per row");
    pending("img2", 1, 9_000);

    PoolState restarted = new PoolState(state.pool, new PoolMeta(metaStore), CLASSES, 3, NeighborSearch.exact(),
        FeaturePrecision.FP32);
    DeadlineQueue restoredDeadlines = new DeadlineQueue();
    PoolRestore.restore(restarted, store, restoredDeadlines);
    PoolIndex again = restarted.index();
    assertEquals(12, again.size());
    for (int r = 0; r < 12; r++) {
      assertEquals(state.index().id(r), again.id(r), "rows keep arrival order");
      assertTrue(java.util.Arrays.equals(state.index().encodedList(r), again.encodedList(r)), "row " + r + "'s list read back");
    }
    assertEquals(0, again.unfolded(), "nothing to fold again");
    assertEquals(PoolStatus.PENDING, again.status(again.row("img2")));
    assertEquals(List.of("img2"), restoredDeadlines.due(9_000), "pending requests get their deadlines back");
  }

  private io.alvlm.coop.PromptModel model(long version) {
    return new ModelStore(models(version), "default").current().orElseThrow();
  }

  private static double gauge(ServiceMetrics m, String name, String... tags) {
    return m.registry().find(name).tags(tags).gauge().value();
  }

  @Test
  void theStoppingRulesStateAndPauseSurviveARestart() {
    var settings = new io.alvlm.stopping.StoppingRule.Settings(io.alvlm.stopping.StoppingRule.Mode.STABLE, 0.94, 2, 0.0005, 1000);
    KeyValueStore<String, io.alvlm.avro.StopState> store =
        store(PoolStores.STOP, AvroSerdes.singleObject().value(io.alvlm.avro.StopState.class));
    StopCheck check = new StopCheck(settings, 7, store, new PoolNotices(sent), metrics);
    for (int v = 0; v <= 2; v++) { // the same predictions each time (kappa 1), trained on 2 more labels each
      check.observe(state.index(), model(v), 2 * v, v);
      for (int r = 2 * v; r < 2 * v + 2; r++) state.index().setStatus(r, PoolStatus.LABELED, 0);
    }
    assertTrue(check.paused(state.index(), 3), "the second agreeing model fired the rule");
    assertEquals(1, sent.notices.size(), "the workbench is told once");
    assertTrue(sent.notices.get(0).getPaused());
    assertEquals(14, sent.notices.get(0).getResumeAtImages(), "a tenth more than the 12 images");
    var reading = check.last();

    // a restart: the task's stores as the changelog restores them, new parts and a fresh registry
    ServiceMetrics fresh = new ServiceMetrics(new SimpleMeterRegistry());
    StopCheck restarted = new StopCheck(settings, 7, store, new PoolNotices(sent), fresh);
    assertTrue(restarted.paused(state.index(), 4), "still paused");
    assertEquals(1, sent.notices.size(), "the restart tells nothing new");
    assertEquals(reading, restarted.last());
    assertEquals(1.0, gauge(fresh, "alvlm.stop.paused"));
    assertEquals(12, store.get(StopCheck.KEY).getStopRows().size());
    restarted.observe(state.index(), model(2), 6, 5);
    assertEquals(List.of(2, 4), store.get(StopCheck.KEY).getCurveLabels(), "a model read before the restart is not read again");
    assertTrue(restarted.resume(6));
    assertFalse(sent.notices.get(1).getPaused(), "the workbench is told the rounds run again");
    assertFalse(new StopCheck(settings, 7, store, new PoolNotices(sent), fresh).paused(state.index(), 7), "the resume is kept too");
    assertFalse(restarted.resume(8), "a resume while rounds run does nothing");
    assertEquals(2, sent.notices.size());
  }

  @Test
  void annotatorAgreementSurvivesARestart() {
    KeyValueStore<String, io.alvlm.avro.AgreementCount> agreement = agreementStore();
    LabelApplication labels = new LabelApplication(state, deadlines, agreement, new PoolNotices(sent), sent, metrics);
    labels.apply("img0", label("img0", LabelOutcome.LABELED, "cat"), 1);
    for (String cls : List.of("dog", "dog")) { // the first recheck overturns a's label, the second keeps b's
      PoolEntry e = state.pool.get("img0");
      e.setQueryId("app-r2-img0-" + QueryRounds.RECHECK);
      state.pool.put("img0", e);
      Label answer = label("img0", LabelOutcome.LABELED, cls);
      answer.setQueryId(e.getQueryId());
      answer.setAnnotator("b");
      labels.apply("img0", answer, 2);
    }
    assertEquals(1 / 3.0, gauge(metrics, "alvlm.annotator.agreement", "annotator", "a"), 1e-9);
    assertEquals(2 / 3.0, gauge(metrics, "alvlm.annotator.agreement", "annotator", "b"), 1e-9);

    ServiceMetrics fresh = new ServiceMetrics(new SimpleMeterRegistry());
    io.alvlm.avro.PoolNotice told = sent.notices.get(sent.notices.size() - 1);
    assertEquals(Map.of("a", 1 / 3.0, "b", 2 / 3.0), told.getAgreement(), "the workbench is told each estimate");
    assertEquals(Map.of("a", 1, "b", 1), told.getChecked());
    new LabelApplication(state, deadlines, agreement, new PoolNotices(sent), sent, fresh);
    assertEquals(1 / 3.0, gauge(fresh, "alvlm.annotator.agreement", "annotator", "a"), 1e-9, "restored from the store");
    assertEquals(2 / 3.0, gauge(fresh, "alvlm.annotator.agreement", "annotator", "b"), 1e-9);
    assertEquals(new io.alvlm.avro.AgreementCount(1, 1), agreement.get("b"));
  }
}
