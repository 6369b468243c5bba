package io.alvlm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code alvlm bench <what>}: benchmarks, each reporting ratios against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (each reports against a baseline measured in the same run).")
final class Bench implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
