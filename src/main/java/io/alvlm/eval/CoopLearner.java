package io.alvlm.eval;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.PromptModel;
import io.alvlm.coop.WarmStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * CoOp prompt learning on the labelled pool images, with the service's {@link CoopTrainer}: context
 * from {@code ctxInit} every round, then the configured epochs on all labels so far. With
 * {@code viewsPerImage > 0} it trains on that many augmented views per image from the feature cache
 * (embedded once per image and view, whatever the round or strategy), else on the plain features.
 */
public final class CoopLearner implements Learner {
  /** Augmented-view features of pool rows, {@code [rows][views][dim]}. */
  public interface Views {
    float[][][] of(int[] rows) throws IOException;
  }

  private final ClipModel clip;
  private final CoopConfig cfg;
  private final List<String> classNames;
  private final float[][] pool;
  private final Views views;
  private final WarmStart warm;
  /** The context the previous training ended with (warm start only). */
  private float[] context;

  /** {@code views} may be null when {@code cfg.viewsPerImage() == 0}. */
  public CoopLearner(ClipModel clip, CoopConfig cfg, List<String> classNames, float[][] pool, Views views) {
    this(clip, cfg, classNames, pool, views, WarmStart.OFF);
  }

  private CoopLearner(ClipModel clip, CoopConfig cfg, List<String> classNames, float[][] pool, Views views,
      WarmStart warm) {
    this.warm = Objects.requireNonNull(warm, "warm");
    this.clip = Objects.requireNonNull(clip, "clip");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.classNames = List.copyOf(classNames);
    this.pool = Objects.requireNonNull(pool, "pool");
    this.views = cfg.viewsPerImage() > 0 ? Objects.requireNonNull(views, "views") : views;
  }

  @Override
  public Learner warmStarted(WarmStart w) {
    return new CoopLearner(clip, cfg, classNames, pool, views, w);
  }

  @Override
  public float[][] train(int[] rows, int[] labels, long seed) {
    if (!warm.enabled()) {
      CoopTrainer trainer = new CoopTrainer(clip, cfg.withSeed(seed));
      return cfg.viewsPerImage() > 0 ? trainer.train(viewsOf(rows), labels, classNames).classFeatures()
          : trainer.train(plain(rows), labels, classNames).classFeatures();
    }
    float[][][] v;
    if (cfg.viewsPerImage() > 0) {
      v = viewsOf(rows);
    } else {
      float[][] x = plain(rows);
      v = new float[x.length][][];
      for (int i = 0; i < x.length; i++) v[i] = new float[][] {x[i]};
    }
    PromptModel m = new CoopTrainer(clip, warm.config(cfg, context != null).withSeed(seed))
        .train(v, labels, classNames, () -> false, context);
    context = m.context().clone();
    return m.classFeatures();
  }

  private float[][][] viewsOf(int[] rows) {
    try {
      return views.of(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private float[][] plain(int[] rows) {
    float[][] x = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) x[i] = pool[rows[i]];
    return x;
  }
}
