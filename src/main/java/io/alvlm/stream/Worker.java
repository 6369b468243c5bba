package io.alvlm.stream;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * One job at a time off the stream thread (design rule 1): the processor {@link #start}s a job over
 * an immutable snapshot and, in a later punctuation, {@link #take}s its result to apply it in the
 * task's transaction. Nothing of the job's touches a store. Owned by one processor.
 *
 * @param <T> the job's result
 */
public final class Worker<T> implements AutoCloseable {
  private final Executor executor;
  private final ExecutorService owned;
  private CompletableFuture<T> running;
  private volatile boolean closed;

  private Worker(Executor executor, ExecutorService owned) {
    this.executor = executor;
    this.owned = owned;
  }

  /** A worker on its own daemon thread named {@code name}. */
  public static <T> Worker<T> onThread(String name) {
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    return new Worker<>(ex, ex);
  }

  /** A worker whose jobs run on {@code executor} (tests pass one they drive by hand). */
  public static <T> Worker<T> on(Executor executor) {
    return new Worker<>(executor, null);
  }

  /** Whether a job was started and its result not taken yet. */
  public boolean busy() {
    return running != null;
  }

  public void start(Supplier<T> job) {
    if (running != null) throw new IllegalStateException("a job is still running");
    running = CompletableFuture.supplyAsync(job, executor);
  }

  /**
   * The finished job's result, once; empty while it runs or when none was started. A job that
   * threw rethrows here (as {@link RuntimeException}) and is done with.
   */
  public Optional<T> take() {
    if (running == null || !running.isDone()) return Optional.empty();
    CompletableFuture<T> f = running;
    running = null;
    try {
      return Optional.of(f.join());
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Whether {@link #close} was called: a job that can stop early asks this (from its own thread) so
   * that a task closed by a rebalance or a shutdown does not leave its job running on.
   */
  public boolean closed() {
    return closed;
  }

  /** Forgets the running job (its result is never applied), tells it to stop ({@link #closed}) and stops an owned thread. */
  @Override
  public void close() {
    closed = true;
    running = null;
    if (owned != null) owned.shutdownNow();
  }
}
