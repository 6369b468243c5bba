package io.alvlm.pool;

import io.alvlm.avro.StopReading;
import io.alvlm.avro.StopState;
import io.alvlm.coop.PromptModel;
import io.alvlm.selection.PoolStatus;
import io.alvlm.stopping.StopSet;
import io.alvlm.stopping.StoppingRule;
import io.alvlm.stream.ServiceMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stopping rule ({@code query.stop}) in the pool, on the stream thread: at the first model it sees, it
 * draws the seeded stop set from the unlabelled images and takes that model's predictions as the baseline;
 * every later model's predictions on the set feed {@link StoppingRule#observe}, one stop-set × classes × dim
 * pass per model. Once a {@code stable} rule fires, rounds pause until the pool has grown by
 * {@link #RESUME_GROWTH} of its size at the firing (new images change what is left to ask) or an operator
 * resumes them ({@link #resume}), and the rule starts counting again. Its state is a {@link StopState} in the
 * changelogged {@code stop-state} store, written with every change in the same transaction as the rest of the
 * pool's state, so a restart goes on with the same stop set, baseline, curve and pause.
 */
final class StopCheck {
  /** Growth of the pool since the firing that resumes rounds. */
  static final double RESUME_GROWTH = 0.1;
  /** The store's one key. */
  static final String KEY = "stop";

  private final StoppingRule.Settings settings;
  private final long seed;
  private final ServiceMetrics metrics;
  private final KeyValueStore<String, StopState> store;
  private final PoolNotices notices;
  /** Null before the first model. */
  private StopState state;

  StopCheck(StoppingRule.Settings settings, long seed, KeyValueStore<String, StopState> store, PoolNotices notices,
      ServiceMetrics metrics) {
    this.settings = Objects.requireNonNull(settings);
    this.seed = seed;
    this.metrics = Objects.requireNonNull(metrics);
    this.store = Objects.requireNonNull(store);
    this.notices = Objects.requireNonNull(notices);
    this.state = store.get(KEY);
    notices.restorePause(paused(), resumeAt());
    publish();
  }

  /** Reads {@code model}, trained on {@code labels} answers, once: when it is new to the check and the pool has images. */
  void observe(PoolIndex index, PromptModel model, int labels, long now) {
    if (index.size() == 0 || (state != null && model.version() == state.getModelVersion())) return;
    if (state == null) {
      int[] rows = StopSet.draw(index.size(), r -> index.status(r) == PoolStatus.UNLABELED, settings.setSize(), seed);
      state = StopState.newBuilder().setModelVersion(model.version()).setStopRows(ints(rows))
          .setPrevious(ints(predictions(index, model, rows))).build();
      save();
      return;
    }
    StoppingRule rule = rule(model.classes());
    int[] rows = state.getStopRows().stream().mapToInt(Integer::intValue).toArray();
    StoppingRule.Assessment a = rule.observe(labels, predictions(index, model, rows));
    keep(rule.snapshot());
    state.setModelVersion(model.version());
    state.setLast(new StopReading(a.labels(), a.kappa(), a.changed(), a.forecast(), a.settling(), a.stable(), a.fired()));
    if (a.fired() && state.getSizeAtFiring() < 0) state.setSizeAtFiring(index.size());
    save();
    publish();
    notices.pause(paused(), resumeAt(), now);
  }

  /** Whether rounds pause now: the rule fired and the pool has not grown enough since; resumes the rule once it has. */
  boolean paused(PoolIndex index, long now) {
    int at = state == null ? -1 : state.getSizeAtFiring();
    if (at >= 0 && index.size() >= at * (1 + RESUME_GROWTH)) resume(now);
    return paused();
  }

  /** An operator's resume: forgets the firing (the curve is kept); false when rounds were not paused. */
  boolean resume(long now) {
    if (!paused()) return false;
    StoppingRule rule = rule(1); // the class count only weighs the kappa of a later observe
    rule.resume();
    keep(rule.snapshot());
    state.setSizeAtFiring(-1);
    save();
    publish();
    notices.pause(false, -1, now);
    return true;
  }

  /** The pool size at which paused rounds open again by themselves; -1 when not paused or unknown. */
  private long resumeAt() {
    return paused() && state.getSizeAtFiring() >= 0 ? (long) Math.ceil(state.getSizeAtFiring() * (1 + RESUME_GROWTH)) : -1;
  }

  boolean paused() {
    return state != null && state.getFired();
  }

  /** The latest model's reading; null before the second model. */
  StoppingRule.Assessment last() {
    StopReading r = state == null ? null : state.getLast();
    return r == null ? null
        : new StoppingRule.Assessment(r.getLabels(), r.getKappa(), r.getChanged(), r.getForecast(), r.getSettling(),
            r.getStable(), r.getFired());
  }

  /** The rule as the state left it, for models of {@code classes} classes. */
  private StoppingRule rule(int classes) {
    List<double[]> curve = new ArrayList<>();
    for (int i = 0; i < state.getCurveLabels().size(); i++) {
      curve.add(new double[] {state.getCurveLabels().get(i), state.getCurveChanged().get(i)});
    }
    return StoppingRule.restore(settings, classes, new StoppingRule.Snapshot(
        state.getPrevious().stream().mapToInt(Integer::intValue).toArray(), curve, state.getStreak(), state.getFired()));
  }

  private void keep(StoppingRule.Snapshot s) {
    state.setPrevious(ints(s.previous()));
    state.setCurveLabels(s.curve().stream().map(p -> (int) p[0]).toList());
    state.setCurveChanged(s.curve().stream().map(p -> p[1]).toList());
    state.setStreak(s.streak());
    state.setFired(s.fired());
  }

  private void save() {
    store.put(KEY, state);
  }

  private void publish() {
    StoppingRule.Assessment a = last();
    if (a != null) metrics.stopRule(a.kappa(), a.forecast(), paused());
  }

  private static int[] predictions(PoolIndex index, PromptModel model, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = argmax(model.probabilities(index.features(rows[i])));
    return out;
  }

  private static List<Integer> ints(int[] a) {
    return Arrays.stream(a).boxed().toList();
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  }
}
