package io.alvlm.embedder;

import java.time.Duration;

/**
 * How many images the next image-tower call may take, measured rather than configured: a tower call
 * runs inside the task's transaction, and a transaction open past {@code transaction.timeout.ms} is
 * aborted by the broker, its producer fenced and the batch redone, so a tower slower than its batch
 * allows (ViT-B/16 at batch 32 on a small CPU) would redo the same batch forever. The pace keeps each
 * call under a quarter of the transaction timeout.
 *
 * <p>It starts at {@code embed.batch.size}. A call slower per image than those before sets the time per
 * image at once, and the limit drops to what fits the target: the measurement is taken before the task
 * can learn that its transaction was aborted, so a redone batch is already a smaller one, and no batch
 * is redone twice. Faster calls lower the time per image gradually, and the limit grows at most
 * twofold per call that used all it allowed, never above {@code embed.batch.size}. One pace per
 * instance, shared by its embedder tasks (they share the tower) and kept when a task is closed and
 * opened again. Thread-safe.
 */
public final class BatchPace {
  /** The share of the transaction timeout one tower call may take. */
  static final double SHARE = 0.25;
  /** Weight of the newest call in the running time per image when the tower got faster. */
  private static final double EWMA = 0.2;

  private final int max;
  private final double targetSeconds;
  private int limit;
  private double secondsPerImage = Double.NaN;

  /** @param max {@code embed.batch.size} */
  public BatchPace(int max, Duration transactionTimeout) {
    if (max < 1) {
      throw new IllegalArgumentException("embed.batch.size must be at least 1, got " + max);
    }
    this.max = max;
    this.limit = max;
    this.targetSeconds = transactionTimeout.toNanos() / 1e9 * SHARE;
  }

  /** Images the next call may take (1 to {@code embed.batch.size}). */
  public synchronized int limit() {
    return limit;
  }

  /** Seconds one call may take: a quarter of the transaction timeout. */
  public double targetSeconds() {
    return targetSeconds;
  }

  /** A call embedded {@code images} in {@code nanos}; returns the new limit. */
  public synchronized int measured(int images, long nanos) {
    if (images < 1) {
      return limit;
    }
    double perImage = nanos / 1e9 / images;
    boolean slower = Double.isNaN(secondsPerImage) || perImage > secondsPerImage;
    secondsPerImage = slower ? perImage : EWMA * perImage + (1 - EWMA) * secondsPerImage;
    int fits = (int) Math.max(1, Math.min(max, Math.floor(targetSeconds / secondsPerImage)));
    // shrink at once; grow at most twofold per call, and only once a call used what the limit allowed
    limit = fits < limit ? fits : images >= limit ? Math.min(fits, 2 * limit) : limit;
    return limit;
  }
}
