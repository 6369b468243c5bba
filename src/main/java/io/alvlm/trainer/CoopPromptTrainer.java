package io.alvlm.trainer;

import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import io.alvlm.avro.PromptModel;
import io.alvlm.clip.ClipModel;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.PromptLearner;
import io.alvlm.coop.WarmStart;
import io.alvlm.coop.ZeroShot;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer task's {@link PromptTrainer} on the coop package and a loaded CLIP. Reports every
 * epoch to its {@link CoopTrainer.Progress} and logs about ten progress lines per retraining.
 */
public final class CoopPromptTrainer implements PromptTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(CoopPromptTrainer.class);

  private final ClipModel clip;
  private final CoopConfig config;
  private final WarmStart warmStart;
  private final String template;
  private final CoopTrainer.Progress progress;
  private final boolean ownsModel;
  /** Set by {@link #close}: a running training stops at its next step, later ones are refused. */
  private volatile boolean closing;

  public CoopPromptTrainer(ClipModel clip, CoopConfig config, String template) {
    this(clip, config, WarmStart.OFF, template, CoopTrainer.Progress.NONE, false);
  }

  private CoopPromptTrainer(ClipModel clip, CoopConfig config, WarmStart warmStart, String template,
      CoopTrainer.Progress progress, boolean ownsModel) {
    this.ownsModel = ownsModel;
    this.clip = Objects.requireNonNull(clip);
    this.config = Objects.requireNonNull(config);
    this.warmStart = Objects.requireNonNull(warmStart);
    this.progress = Objects.requireNonNull(progress);
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("prompt.template '" + template + "' has no {} for the class name");
    }
    this.template = template;
  }

  public static CoopPromptTrainer from(ServiceConfig c, ClipModel clip) {
    return from(c, clip, CoopTrainer.Progress.NONE, false);
  }

  /** As {@link #from(ServiceConfig, ClipModel)}, telling {@code progress} after every epoch. */
  public static CoopPromptTrainer from(ServiceConfig c, ClipModel clip, CoopTrainer.Progress progress) {
    return from(c, clip, progress, false);
  }

  /**
   * A trainer on a CLIP instance of its own, which it closes: retraining runs on its own worker
   * thread, and must not wait on (or hold) the lock of the instance the embedder uses.
   */
  public static CoopPromptTrainer owning(ServiceConfig c, ClipModel clip, CoopTrainer.Progress progress) {
    return from(c, clip, progress, true);
  }

  private static CoopPromptTrainer from(ServiceConfig c, ClipModel clip, CoopTrainer.Progress progress, boolean owns) {
    CoopConfig cfg = CoopConfig.defaults().withCtxInit(c.get(Settings.TRAIN_CTX_INIT))
        .withClassSpecific(c.get(Settings.TRAIN_CSC)).withEpochs(c.get(Settings.TRAIN_EPOCHS))
        .withBatchSize(c.get(Settings.TRAIN_BATCH)).withLr(c.get(Settings.TRAIN_LR)).withSeed(c.get(Settings.TRAIN_SEED));
    WarmStart warm = c.get(Settings.TRAIN_WARM_START) ? new WarmStart(true, c.get(Settings.TRAIN_WARM_EPOCHS))
        : WarmStart.OFF;
    return new CoopPromptTrainer(clip, cfg, warm, c.get(Settings.PROMPT_TEMPLATE), progress, owns);
  }

  @Override
  public PromptModel zeroShot(List<String> classNames) {
    synchronized (clip) {
      ensureOpen();
      return ZeroShot.model(clip, classNames, List.of(template)).toAvro();
    }
  }

  @Override
  public PromptModel train(List<String> classNames, float[][] features, int[] labels, PromptModel current,
      BooleanSupplier cancelled) {
    BooleanSupplier stop = () -> closing || cancelled.getAsBoolean();
    synchronized (clip) {
      ensureOpen();
      float[] start = null;
      if (warmStart.enabled() && current != null) {
        PromptLearner shape = new PromptLearner(clip, classNames, config);
        start = warmStart.contextFrom(io.alvlm.coop.PromptModel.fromAvro(current), clip.modelId(), classNames,
            shape.nCtx(), shape.width(), config.classSpecific());
      }
      CoopConfig cfg = warmStart.config(config, start != null);
      LOG.info("retraining on {} labels, {} classes, {} epochs, {}", labels.length, classNames.size(), cfg.epochs(),
          start != null ? "warm start from v" + current.getVersion() : "from zero");
      CoopTrainer.Progress logged = (epoch, epochs, loss, accuracy) -> {
        progress.epochEnded(epoch, epochs, loss, accuracy);
        if ((epoch + 1) % Math.max(1, epochs / 10) == 0 || epoch + 1 == epochs) {
          LOG.info("retraining epoch {}/{}: loss {}, train accuracy {}", epoch + 1, epochs,
              String.format("%.4f", loss), String.format("%.3f", accuracy));
        }
      };
      float[][][] views = new float[features.length][][];
      for (int i = 0; i < features.length; i++) views[i] = new float[][] {features[i]};
      return new CoopTrainer(clip, cfg, logged).train(views, labels, classNames, stop, start).toAvro();
    }
  }

  private void ensureOpen() {
    if (closing) throw new IllegalStateException("the prompt trainer is closed");
  }

  /**
   * Stops a running training at its next step and returns once it has let go of the model (its
   * monitor), closing the model when this trainer owns it. The caller may then close a shared model:
   * nothing of this trainer's still runs on it.
   */
  @Override
  public void close() {
    closing = true;
    if (ownsModel) {
      clip.close(); // waits for the monitor
    } else {
      synchronized (clip) {
        // only waits for a training in progress to end
      }
    }
  }
}
