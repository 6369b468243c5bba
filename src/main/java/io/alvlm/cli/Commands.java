package io.alvlm.cli;

import java.util.List;

/** The subcommands of {@code alvlm}, in the order {@code --help} lists them. Add new commands here. */
final class Commands {
  private Commands() {}

  static List<Object> all() {
    return List.of(new DemoCommand(), new RunCommand(), new AnnotateCommand(), new LabelsCommand(), new EmbedCommand(), new EncodeTextCommand(), new SelectCommand(),
        new TrainCommand(), new EvalCommand(), new EvaluateCommand(), new ChaosCommand(), new RepeatTrainingCommand(), new ParityCommand(),
        new Bench());
  }

  /** The subcommands of {@code alvlm bench}. */
  static List<Object> benches() {
    return List.of(new ClipBench(), new SelectBench(), new CoopBench(), new ServiceBench(), new EmbedBench(), new PoolBench(), new TrainerBench());
  }
}
