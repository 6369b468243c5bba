package io.alvlm.cli;

import io.alvlm.soak.SoakRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm soak}: the roles as separate processes for minutes or hours, under faults; nothing lost, memory flat. */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = {"Run the roles as separate processes under faults for a while and check nothing is lost.", "",
        "A broker and a schema registry run as processes of their own; two embedders, the pool, the "
            + "trainer and the workbench (answered by a scripted annotator over HTTP) run as separate JVMs; "
            + "images come at a set rate while roles are killed and frozen, the broker restarted and the "
            + "registry stopped. Every process is sampled every 10 s into samples.csv.", "",
        "Exits 1 on any loss, duplicate or fault not recovered from, or (runs of 20 minutes or more) a "
            + "resident set growing 5 MiB/h or more. With --upgrade, the roles start as the old build (pinned "
            + "to the previous Label schema) and are restarted one at a time on the current one halfway through. "
            + "docs/soak.md explains the last line."})
final class SoakCommand implements Callable<Integer> {
  @Option(names = "--minutes", required = true, description = "How long the run takes: the feed, then the loop coming to rest.")
  double minutes;

  @Option(names = "--rate", defaultValue = "5", description = "Images a second, about 1 in 30 corrupt (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the corrupt records (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", description = "Working folder, kept for its logs and samples.csv (default: a new folder under target/).")
  Path work;

  @Option(names = "--upgrade", description = "Halfway through, a rolling upgrade of every role from the previous Label schema "
      + "(same jar, pinned with serde.label.schema-version) to the current one, whose new field the annotator writes from then on.")
  boolean upgrade;

  @Override
  public Integer call() throws Exception {
    if (!(minutes > 0)) {
      throw UsageError.of("--minutes", minutes, "must be above 0");
    }
    if (!(rate > 0)) {
      throw UsageError.of("--rate", rate, "must be above 0 images a second");
    }
    Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath().normalize();
    Path dir = work != null ? work.toAbsolutePath() : Files.createDirectories(home.resolve("target")).resolve("soak-" + System.currentTimeMillis());
    SoakRun.Options o = new SoakRun.Options(minutes, rate, seed, home, ChaosCommand.jar(home), dir, upgrade);
    return SoakRun.run(o, System.out).ok() ? 0 : 1;
  }
}
