package io.alvlm.pool;

import io.alvlm.coop.PromptModel;
import io.alvlm.selection.PoolStatus;
import io.alvlm.stream.ModelStore;
import io.alvlm.stream.ServiceMetrics;
import io.alvlm.stream.Worker;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the query rounds on the stream thread: opens a round when one is due (a new model, {@code
 * query.min-new} arrivals, {@code query.interval.ms} passed) and the pool can run it, hands it to the
 * round {@link Worker}, and applies the worker's result in a later step, once every pick's pool
 * entry has been read, so the one transaction that applies it reads from warm caches. One round at a
 * time: a round waiting to be applied holds off the next, and a failed round the next for an interval.
 * A due round first lets the {@link StopCheck} read a new model, and waits while the stopping rule holds
 * rounds paused, until the pool grows or an operator resumes them ({@link #control}).
 */
final class RoundDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoundDriver.class);

  private final PoolState state;
  private final QueryRounds rounds;
  private final Worker<QueryRounds.Outcome> worker;
  private final ModelStore models;
  private final DeadlineQueue deadlines;
  private final RoundSettings settings;
  private final StopCheck stop;
  private final ServiceMetrics metrics;
  /** A finished round whose picks are being read before it is applied; null when none. */
  private QueryRounds.Outcome toApply;
  /** Picks of {@link #toApply} read so far. */
  private int picksRead;
  /** No round starts before this (wall-clock ms): set after a round failed. */
  private long retryAt;

  RoundDriver(PoolState state, QueryRounds rounds, Worker<QueryRounds.Outcome> worker, ModelStore models,
      DeadlineQueue deadlines, RoundSettings settings, StopCheck stop, ServiceMetrics metrics) {
    this.state = Objects.requireNonNull(state);
    this.rounds = Objects.requireNonNull(rounds);
    this.worker = Objects.requireNonNull(worker);
    this.models = Objects.requireNonNull(models);
    this.deadlines = Objects.requireNonNull(deadlines);
    this.settings = Objects.requireNonNull(settings);
    this.stop = Objects.requireNonNull(stop);
    this.metrics = Objects.requireNonNull(metrics);
  }

  /** Whether a round is on the worker or waiting to be applied. */
  boolean busy() {
    return worker.busy() || toApply != null;
  }

  /** Starts a round on the worker when one is due and the pool can run it. */
  void maybeStart(long now) {
    Optional<PromptModel> current = models.current();
    if (current.isEmpty()) {
      return;
    }
    PromptModel model = current.get();
    PoolMeta meta = state.meta;
    PoolIndex index = state.index();
    metrics.modelVersion(model.version());
    if (model.version() != meta.scoredVersion() && model.version() == 0) {
      meta.scoredWith(model.version()); // the zero-shot model opens no round of its own
    }
    String trigger = trigger(model, now);
    // a round waits for current lists, for the previous round, and after a failure for its retry time
    if (trigger != null && index.current() && !busy() && now >= retryAt && index.count(PoolStatus.UNLABELED) > 0) {
      stop.observe(index, model, (int) (index.count(PoolStatus.LABELED) - state.pseudo.count()), now); // answers only
      if (stop.paused(index, now)) return; // the stopping rule fired: no round until the pool grows
      QueryRounds.Plan plan = rounds.plan(index, model, trigger, stop.last());
      worker.start(() -> settings.threads().call(plan::select)); // its blocked loops split over pool.threads
      applyFinished(now); // an inline executor has finished already
    }
  }

  /**
   * Why a round is due now: model, min-new, open-below or interval; null when none is. Paced by the
   * annotators ({@code query.open-below} above 0), after the first round the open requests decide, not
   * the clock: no round opens while that many are open, whatever else is due.
   */
  private String trigger(PromptModel model, long now) {
    PoolMeta meta = state.meta;
    boolean paced = settings.openBelow() > 0 && meta.round() > 0;
    if (paced && state.index().count(PoolStatus.PENDING) >= settings.openBelow()) {
      return null;
    }
    if (model.version() != meta.scoredVersion()) {
      return "model";
    }
    if (meta.newSinceRound() >= settings.minNew()) {
      return "min-new";
    }
    if (paced) {
      return "open-below";
    }
    long last = meta.lastRoundAt();
    if (last >= 0 && now - last >= settings.intervalMs()) {
      return "interval";
    }
    if (last < 0 && meta.round() == 0 && now - meta.startedAt(now) >= settings.intervalMs()) {
      return "interval";
    }
    return null;
  }

  /**
   * Applies the worker's round, if it finished, in this step's transaction: once every pick's pool
   * entry has been read once (warming the store's caches), each step reading for at most
   * {@code query.apply.read-ms}.
   */
  void applyFinished(long now) {
    if (toApply == null) {
      Optional<QueryRounds.Outcome> done;
      try {
        done = worker.take();
      } catch (RuntimeException e) {
        LOG.warn("query round failed; retrying after query.interval.ms", e);
        metrics.roundFailed();
        retryAt = now + settings.intervalMs();
        return;
      }
      if (done.isEmpty()) return;
      toApply = done.get();
      picksRead = 0;
    }
    picksRead = rounds.warm(toApply, state.index(), picksRead, System.nanoTime() + settings.applyReadMs() * 1_000_000L);
    if (picksRead < toApply.selection().picks().size() + toApply.rechecks().rows().length) return; // the rest next steps
    QueryRounds.Outcome o = toApply;
    toApply = null;
    rounds.apply(o, state.index(), now).forEach(deadlines::add);
  }

  /**
   * An operator's command ({@code alvlm.control}), applied on the stream thread in the transaction that reads
   * it: {@code RESUME} opens rounds the stopping rule paused; one sent while rounds run does nothing.
   */
  void control(io.alvlm.avro.RoundControl c, long now) {
    boolean resumed = switch (c.getAction()) {
      case RESUME -> stop.resume(now);
    };
    LOG.info(resumed ? "rounds resumed by {} (sent {})" : "resume from {} (sent {}): rounds were not paused, nothing to do",
        c.getOperator(), c.getSentAt());
  }

  @Override
  public void close() {
    worker.close();
  }
}
