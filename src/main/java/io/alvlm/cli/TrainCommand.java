package io.alvlm.cli;

import io.alvlm.clip.ClipModel;
import io.alvlm.coop.Accuracy;
import io.alvlm.coop.CoopConfig;
import io.alvlm.coop.CoopTrainer;
import io.alvlm.coop.PromptModel;
import io.alvlm.coop.ZeroShot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm train}: CoOp prompt learning on labelled image features; writes a prompt model. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Learn CoOp context vectors on labelled image features and save the prompt model (safetensors + JSON metadata).")
final class TrainCommand implements Callable<Integer> {
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

  @Option(names = "--csc", description = "One context per class (class-specific context).")
  boolean csc;

  @Option(names = "--class-position", defaultValue = "END", description = "Class name position: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  CoopConfig.ClassPosition position;

  @Option(names = "--epochs", defaultValue = "200") int epochs;
  @Option(names = "--batch-size", defaultValue = "32") int batchSize;
  @Option(names = "--lr", defaultValue = "0.002") double lr;
  @Option(names = "--momentum", defaultValue = "0.9") double momentum;
  @Option(names = "--weight-decay", defaultValue = "5e-4") double weightDecay;
  @Option(names = "--warmup-epochs", defaultValue = "1") int warmupEpochs;
  @Option(names = "--warmup-lr", defaultValue = "1e-5") double warmupLr;
  @Option(names = "--seed", defaultValue = "0") long seed;

  @Override
  public Integer call() throws Exception {
    LabelledFeatures data = LabelledFeatures.read(features, labels, classes);
    CoopConfig cfg = CoopConfig.defaults().withNCtx(nCtx).withCtxInit(ctxInit).withClassSpecific(csc)
        .withPosition(position).withEpochs(epochs).withBatchSize(batchSize).withLr(lr).withMomentum(momentum)
        .withWeightDecay(weightDecay).withWarmupEpochs(warmupEpochs).withWarmupLr(warmupLr).withSeed(seed);
    try (ClipModel clip = ClipModel.load(model)) {
      PromptModel pm = new CoopTrainer(clip, cfg).train(data.features(), data.labels(), data.classes());
      pm.save(out);
      Accuracy zs = Accuracy.of(ZeroShot.classFeatures(clip, data.classes(), ZeroShot.DEFAULT_TEMPLATES),
          data.features(), data.labels());
      System.out.printf("train: %d labels, %d classes, %d epochs → %s%n", data.labels().length, data.classes().size(),
          epochs, out);
      System.out.printf("metrics: %s%n", pm.metrics());
      System.out.printf("training-set accuracy: coop %.4f, zero-shot %.4f%n",
          pm.accuracy(data.features(), data.labels()).top1(), zs.top1());
      return 0;
    }
  }
}
