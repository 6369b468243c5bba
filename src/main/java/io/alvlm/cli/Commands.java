package io.alvlm.cli;

import io.alvlm.bench.ClipBench;
import io.alvlm.bench.CoopBench;
import io.alvlm.bench.EmbedBench;
import io.alvlm.bench.ParityCommand;
import io.alvlm.bench.PoolBench;
import io.alvlm.bench.PoolEngineBench;
import io.alvlm.bench.SelectBench;
import io.alvlm.bench.ServiceBench;
import io.alvlm.bench.TrainerBench;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The subcommands of {@code alvlm}, in the order {@code --help} lists them. Add new commands here. */
final class Commands {
  private Commands() {}

  static List<Object> all() {
    return List.of(new DemoCommand(), new RunCommand(), new AnnotateCommand(), new LabelsCommand(), new RoundsCommand(), new EmbedCommand(), new EncodeTextCommand(), new SelectCommand(),
        new TrainCommand(), new EvalCommand(), new EvaluateCommand(), new ChaosCommand(), new SoakCommand(), new RepeatTrainingCommand(), new ParityCommand(),
        new Bench());
  }

  /**
   * The subcommands of {@code alvlm bench} by name, each made only when the command tree is built: an
   * installation without some jars (the GPU bundle has no Kafka) still has the benches it can run.
   */
  static Map<String, Supplier<Object>> benches() {
    Map<String, Supplier<Object>> benches = new LinkedHashMap<>();
    benches.put("clip", () -> new ClipBench());
    benches.put("select", () -> new SelectBench());
    benches.put("coop", () -> new CoopBench());
    benches.put("service", () -> new ServiceBench());
    benches.put("embed", () -> new EmbedBench());
    benches.put("pool", () -> new PoolBench());
    benches.put("pool-engine", () -> new PoolEngineBench());
    benches.put("trainer", () -> new TrainerBench());
    return benches;
  }

  /** The command {@code make} gives, or one that says which classes this installation lacks for it. */
  static Object orAbsent(String name, Supplier<Object> make) {
    try {
      return make.get();
    } catch (NoClassDefFoundError e) {
      return new AbsentCommand(name, e.getMessage());
    }
  }
}
