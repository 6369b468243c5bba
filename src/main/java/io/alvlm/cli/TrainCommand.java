package io.alvlm.cli;

import io.alvlm.clip.ClipConfig;
import io.alvlm.clip.ClipModel;
import io.alvlm.coop.Accuracy;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.PromptModel;
import io.alvlm.coop.TrainingCheck;
import io.alvlm.coop.ZeroShot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm train}: CoOp prompt learning on labelled image features; writes a prompt model. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Learn CoOp context vectors on labelled image features and save the prompt model (safetensors + JSON metadata).")
final class TrainCommand implements Callable<Integer> {
  static final String KEEP_IF_WORSE = "--keep-if-worse";

  @Option(names = "--model", required = true, description = "Hugging Face CLIP or SigLIP directory.")
  Path model;

  @Option(names = "--features", required = true, description = "Image features .npy [n, proj] (from `alvlm embed`).")
  Path features;

  @Option(names = "--labels", required = true, description = "Class index per feature row, integer .npy [n].")
  Path labels;

  @Option(names = "--classes", required = true, description = "Class names, one per line (line i is class i).")
  Path classes;

  @Option(names = "--out", required = true, description = "Output prompt model (.safetensors).")
  Path out;

  @Option(names = "--ctx-init", defaultValue = io.alvlm.coop.CoopConfig.PAPER_CTX_INIT, description = "Initial context words; \"\" for random N(0, 0.02²) (default: ${DEFAULT-VALUE}).")
  String ctxInit;

  @Option(names = "--n-ctx", defaultValue = "4", description = "Context vectors when --ctx-init is \"\" (default: ${DEFAULT-VALUE}).")
  int nCtx;

  @Option(names = "--csc", description = "One context per class (class-specific context; default: one shared context).")
  boolean csc;

  @Option(names = "--class-position", defaultValue = "END", description = "Class name position: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  CoopConfig.ClassPosition position;

  @Option(names = "--epochs", defaultValue = "200", description = "Passes over the labelled features (default: ${DEFAULT-VALUE}, CoOp's).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per SGD step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.002", description = "Learning rate after warm-up, cosine-decayed (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum, from 0 to below 1 (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--weight-decay", defaultValue = "5e-4", description = "SGD weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--warmup-epochs", defaultValue = "1", description = "Epochs at the constant --warmup-lr first (default: ${DEFAULT-VALUE}).")
  int warmupEpochs;

  @Option(names = "--warmup-lr", defaultValue = "1e-5", description = "Learning rate of the warm-up epochs (default: ${DEFAULT-VALUE}).")
  double warmupLr;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the context initialisation and batch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = KEEP_IF_WORSE, description = {"Write the model even when its training-set loss did not fall",
      "(default: refuse, as the service's trainer does; a non-finite model is never written)."})
  boolean keepIfWorse;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    int width = ClipConfig.read(model).projectionDim();
    LabelledFeatures data = LabelledFeatures.read(features, labels, classes);
    if (data.features().length > 0 && data.features()[0].length != width) {
      throw new IllegalArgumentException(features + " holds " + data.features()[0].length + "-wide features, but the model in "
          + model + " projects to " + width + ": embed the images with that model (alvlm embed --model " + model + ")");
    }
    CoopConfig cfg = CoopConfig.defaults().withNCtx(nCtx).withCtxInit(ctxInit).withClassSpecific(csc)
        .withPosition(position).withEpochs(epochs).withBatchSize(batchSize).withLr(lr).withMomentum(momentum)
        .withWeightDecay(weightDecay).withWarmupEpochs(warmupEpochs).withWarmupLr(warmupLr).withSeed(seed);
    System.out.printf("train: %d labels, %d classes, %d epochs; loading %s%n", data.labels().length, data.classes().size(),
        epochs, model);
    try (ClipModel clip = ClipModel.load(model)) {
      PromptModel pm = trained(new CoopTrainer(clip, cfg, new EpochProgress(System.out)), data);
      pm.save(out);
      Accuracy zs = Accuracy.of(ZeroShot.classFeatures(clip, data.classes(), ZeroShot.DEFAULT_TEMPLATES),
          data.features(), data.labels());
      System.out.printf("train: wrote %s%n", out);
      System.out.printf("metrics: %s%n", pm.metrics());
      System.out.printf("training-set accuracy: coop %.4f, zero-shot %.4f%n",
          pm.accuracy(data.features(), data.labels()).top1(), zs.top1());
      return 0;
    }
  }

  private PromptModel trained(CoopTrainer trainer, LabelledFeatures data) {
    try {
      return trainer.train(data.features(), data.labels(), data.classes());
    } catch (TrainingCheck.Failed e) {
      if (keepIfWorse && e.worse().isPresent()) {
        System.err.println("train: warning: " + e.getMessage() + "; written anyway (" + KEEP_IF_WORSE + ")");
        return e.worse().get();
      }
      throw new IllegalStateException(e.getMessage() + "; nothing written"
          + (e.worse().isPresent() ? " (" + KEEP_IF_WORSE + " writes it anyway)" : ""), e);
    }
  }

  private void checkOptions() {
    Check.atLeast("--epochs", epochs, 1);
    Check.atLeast("--batch-size", batchSize, 1);
    Check.atLeast("--n-ctx", nCtx, 1);
    Check.atLeast("--warmup-epochs", warmupEpochs, 0);
    Check.positive("--lr", lr);
    Check.positive("--warmup-lr", warmupLr);
    Check.within("--momentum", momentum, 0, 0.999);
    Check.within("--weight-decay", weightDecay, 0, 1);
  }

  /** A progress line about every tenth of the epochs, so a long training is not silent. */
  record EpochProgress(java.io.PrintStream out) implements CoopTrainer.Progress {
    @Override
    public void epochEnded(int epoch, int epochs, double meanLoss, double accuracy) {
      if ((epoch + 1) % Math.max(1, epochs / 10) == 0 || epoch + 1 == epochs) {
        out.printf("train: epoch %d/%d, loss %.4f, training accuracy %.3f%n", epoch + 1, epochs, meanLoss, accuracy);
      }
    }
  }
}
