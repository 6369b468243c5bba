package io.alvlm.cli;

import io.alvlm.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm demo}: the whole loop in one JVM on an embedded broker, with a simulated annotator. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole active-learning loop in one JVM: an embedded Kafka broker, the service,",
        "Fashion-MNIST images streamed in, and a simulated annotator answering from the true labels."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Hugging Face CLIP or SigLIP directory (default: the tiny random CLIP in models/clip-tiny).")
  Path model;

  @Option(names = "--rounds", defaultValue = "5", description = "Query rounds to run (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--budget", defaultValue = "30", description = "Images per round (default ${DEFAULT-VALUE}).")
  String budget;

  @Option(names = "--strategy", defaultValue = "cec", description = "Selection strategy (default ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--images", defaultValue = "2000", description = "Training images streamed into the pool (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--test-images", defaultValue = "1000", description = "Held-out test images (default ${DEFAULT-VALUE}).")
  int testImages;

  @Option(names = "--epochs", defaultValue = "50", description = "CoOp epochs per retraining (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", description = "CoOp learning rate (default: the paper's 0.002 with --model; 0.05 for the tiny random CLIP,"
      + " whose context needs larger steps to move within a demo's few epochs).")
  Double lr;

  @Option(names = "--full", description = "Use the full Fashion-MNIST of the Debian package dataset-fashion-mnist.")
  boolean full;

  @Option(names = "--csc", negatable = true, description = {"Class-specific context (one per class). Default: on for the",
      "tiny random CLIP, whose shared context alone barely separates classes; off (the paper's shared context) with --model."})
  Boolean csc;

  @Option(names = "--timeout", description = "Give up after this many seconds (default 280; 3600 with --annotate).")
  Integer timeoutSeconds;

  @Option(names = "--annotate", description = {"A person labels in the annotation workbench instead of the simulated",
      "annotator; prints the workbench's address and a one-off token."})
  boolean annotate;

  @Override
  public Integer call() throws Exception {
    Demo.Options o = new Demo.Options(model, rounds, budget, strategy, images, testImages, epochs,
        lr != null ? lr : (model == null ? 0.05 : 0.002), csc != null ? csc : model == null, full,
        timeoutSeconds != null ? timeoutSeconds : annotate ? 3600 : 280, annotate);
    return Demo.run(o, System.out) ? 0 : 1;
  }
}
