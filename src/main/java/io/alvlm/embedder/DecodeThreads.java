package io.alvlm.embedder;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedder's CPU threads ({@code embed.decode.threads}, named {@code alvlm-decode-N}) that fetch,
 * decode and preprocess images while the stream thread runs the image tower. One pool per instance,
 * shared by its embedder tasks. Idle threads exit after a second, so a pool nobody closes (a test's
 * topology) leaves no thread behind; {@link #close()} stops it at once.
 */
public final class DecodeThreads implements Executor, AutoCloseable {
  private final ThreadPoolExecutor pool;

  public DecodeThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("decode threads must be at least 1, got " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "alvlm-decode-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /** {@code embed.decode.threads} threads; 0 means one per available processor. */
  public static DecodeThreads of(ServiceConfig c) {
    int n = c.get(Settings.EMBED_DECODE_THREADS);
    if (n < 0) {
      throw new IllegalArgumentException("embed.decode.threads must be 0 (one per processor) or more, got " + n);
    }
    return new DecodeThreads(n == 0 ? Runtime.getRuntime().availableProcessors() : n);
  }

  public int threads() {
    return pool.getMaximumPoolSize();
  }

  @Override
  public void execute(Runnable job) {
    pool.execute(job);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
