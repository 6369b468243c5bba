package io.alvlm.stream;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The longest gap, per stream thread, between the starts of two consecutive steps (a record or a
 * punctuation of the embedder, pool or trainer task): what a job on the stream thread would show as
 * a stall. With wall-clock punctuators every {@code T} ms an idle thread still steps every {@code T}.
 * Each thread writes only its own entry; readers may see a gap a step late.
 */
public final class StreamThreadGaps {
  private final Map<String, Gap> threads = new ConcurrentHashMap<>();

  private static final class Gap {
    volatile long last;
    final AtomicLong longest = new AtomicLong();
  }

  /** A step starts on the calling thread. */
  public void step() {
    long now = System.nanoTime();
    Gap g = threads.computeIfAbsent(Thread.currentThread().getName(), k -> new Gap());
    long last = g.last;
    if (last != 0) {
      g.longest.accumulateAndGet(now - last, Math::max);
    }
    g.last = now;
  }

  /** Forgets the longest gaps; a gap that spans the reset counts whole at its end. */
  public void reset() {
    threads.values().forEach(g -> g.longest.set(0));
  }

  /** The longest gap since the last reset, in nanoseconds, by thread name. */
  public Map<String, Long> longest() {
    Map<String, Long> out = new TreeMap<>();
    threads.forEach((name, g) -> out.put(name, g.longest.get()));
    return out;
  }
}
