package io.alvlm.selection;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The threads the pool's work splits over ({@code pool.threads}): a fold job's scan runs one part per
 * thread, and a round runs inside these threads, so its blocked host loops ({@link RowBlocks}) use
 * them rather than the JVM's common pool. The pool stays one Kafka Streams task (a single writer);
 * this is how it uses more than the one thread that task gets. The threads start at the first use.
 */
public final class PoolThreads {
  private final int count;
  private ForkJoinPool pool;

  private PoolThreads(int count) {
    if (count < 1) throw new IllegalArgumentException("pool.threads must be >= 1, got " + count);
    this.count = count;
  }

  /** {@code count} threads. */
  public static PoolThreads of(int count) {
    return new PoolThreads(count);
  }

  /** As many threads as the processors this JVM may use. */
  public static PoolThreads available() {
    return new PoolThreads(Runtime.getRuntime().availableProcessors());
  }

  /** {@code auto} (the processors this JVM may use) or a thread count of at least 1. */
  public static PoolThreads parse(String s) {
    String v = s.trim();
    if (v.equalsIgnoreCase("auto")) return available();
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("want auto or a whole number of threads >= 1");
    }
    if (n < 1) throw new IllegalArgumentException("want auto or a whole number of threads >= 1");
    return new PoolThreads(n);
  }

  public int count() {
    return count;
  }

  /** Runs {@code task(0)} … {@code task(parts - 1)} over these threads (inline with one), returning when all are done. */
  public void forEach(int parts, IntConsumer task) {
    if (count == 1 || parts <= 1) {
      for (int p = 0; p < parts; p++) task.accept(p);
      return;
    }
    pool().invoke(java.util.concurrent.ForkJoinTask.adapt(() -> IntStream.range(0, parts).parallel().forEach(task)));
  }

  /** {@code job}'s result, computed on these threads: parallel loops inside it split over them. */
  public <T> T call(Supplier<T> job) {
    return pool().invoke(java.util.concurrent.ForkJoinTask.adapt((java.util.concurrent.Callable<T>) job::get));
  }

  private synchronized ForkJoinPool pool() {
    if (pool == null) pool = new ForkJoinPool(count);
    return pool;
  }

  @Override
  public String toString() {
    return Integer.toString(count);
  }
}
