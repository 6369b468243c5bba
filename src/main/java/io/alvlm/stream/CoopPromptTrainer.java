package io.alvlm.stream;

import io.alvlm.avro.PromptModel;
import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.ZeroShot;
import java.util.List;
import java.util.Objects;

/** The trainer task's {@link PromptTrainer} on the coop package and a loaded CLIP. */
public final class CoopPromptTrainer implements PromptTrainer {
  private final ClipModel clip;
  private final CoopConfig config;
  private final String template;
  private final boolean ownsModel;

  public CoopPromptTrainer(ClipModel clip, CoopConfig config, String template) {
    this(clip, config, template, false);
  }

  private CoopPromptTrainer(ClipModel clip, CoopConfig config, String template, boolean ownsModel) {
    this.ownsModel = ownsModel;
    this.clip = Objects.requireNonNull(clip);
    this.config = Objects.requireNonNull(config);
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("prompt.template '" + template + "' has no {} for the class name");
    }
    this.template = template;
  }

  public static CoopPromptTrainer from(ServiceConfig c, ClipModel clip) {
    CoopConfig d = CoopConfig.defaults();
    CoopConfig cfg = new CoopConfig(d.nCtx(), c.get(Settings.TRAIN_CTX_INIT), c.get(Settings.TRAIN_CSC), d.position(),
        c.get(Settings.TRAIN_EPOCHS), c.get(Settings.TRAIN_BATCH), c.get(Settings.TRAIN_LR), d.momentum(), d.weightDecay(),
        d.warmupEpochs(), d.warmupLr(), 0, c.get(Settings.TRAIN_SEED), true);
    return new CoopPromptTrainer(clip, cfg, c.get(Settings.PROMPT_TEMPLATE));
  }

  @Override
  public PromptModel zeroShot(List<String> classNames) {
    synchronized (clip) {
      return ZeroShot.model(clip, classNames, List.of(template)).toAvro();
    }
  }

  @Override
  public PromptModel train(List<String> classNames, float[][] features, int[] labels,
      java.util.function.BooleanSupplier cancelled) {
    synchronized (clip) {
      return new CoopTrainer(clip, config).train(features, labels, classNames, cancelled).toAvro();
    }
  }

  @Override
  public void close() {
    if (ownsModel) {
      clip.close();
    }
  }

  /**
   * A trainer on a CLIP instance of its own, which it closes: retraining runs on its own worker
   * thread, and must not wait on (or hold) the lock of the instance the embedder uses.
   */
  public static CoopPromptTrainer owning(ServiceConfig c, ClipModel clip) {
    CoopPromptTrainer shared = from(c, clip);
    return new CoopPromptTrainer(clip, shared.config, shared.template, true);
  }
}
