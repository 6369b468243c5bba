package io.alvlm.eval;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
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

  /** {@code views} may be null when {@code cfg.viewsPerImage() == 0}. */
  public CoopLearner(ClipModel clip, CoopConfig cfg, List<String> classNames, float[][] pool, Views views) {
    this.clip = Objects.requireNonNull(clip, "clip");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.classNames = List.copyOf(classNames);
    this.pool = Objects.requireNonNull(pool, "pool");
    this.views = cfg.viewsPerImage() > 0 ? Objects.requireNonNull(views, "views") : views;
  }

  @Override
  public float[][] train(int[] rows, int[] labels, long seed) {
    CoopConfig seeded = cfg.withSeed(seed);
    CoopTrainer trainer = new CoopTrainer(clip, seeded);
    if (cfg.viewsPerImage() > 0) {
      try {
        return trainer.train(views.of(rows), labels, classNames).classFeatures();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    float[][] x = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) x[i] = pool[rows[i]];
    return trainer.train(x, labels, classNames).classFeatures();
  }
}
