package io.alvlm.cli;

import io.alvlm.chaos.ChaosRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm chaos}: kill the service, wipe its state, restart the broker; check nothing was lost or doubled. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Kill the service again and again and check that nothing was lost or doubled.",
        "The service runs as a child JVM on an embedded broker and is killed with SIGKILL at random",
        "moments (in a batch, a round, a training); optionally its state is wiped and the broker",
        "restarted; then the exactly-once invariants are checked on the topics. Exits 1 on any loss or",
        "duplicate."})
final class ChaosCommand implements Callable<Integer> {
  @Option(names = "--images", defaultValue = "1000", description = "Records sent, about 1 in 30 corrupt (default ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--kills", defaultValue = "3", description = "SIGKILLs of the service (default ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the corrupt records and kill moments (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--broker-restarts", defaultValue = "0", description = "Broker restarts during the run (default ${DEFAULT-VALUE}).")
  int brokerRestarts;

  @Option(names = "--wipe-state", description = "Delete the service's state directory before one restart (restored from changelogs).")
  boolean wipeState;

  @Option(names = "--timeout", defaultValue = "900", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--dir", description = "Working folder (default: a new folder under target/); kept for its service.log.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("alvlm.home", ".")).toAbsolutePath().normalize();
    Path work = dir != null ? dir : Files.createDirectories(home.resolve("target")).resolve("chaos-" + System.currentTimeMillis());
    ChaosRun.Options o = new ChaosRun.Options(images, kills, seed, brokerRestarts, wipeState, Duration.ofSeconds(timeoutSeconds),
        home, jar(home), work);
    return ChaosRun.run(o, System.out).ok() ? 0 : 1;
  }

  /** The jar this command runs from, or target/alvlm.jar when it runs from classes. */
  static Path jar(Path home) throws Exception {
    Path self = Path.of(ChaosCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return self.toString().endsWith(".jar") ? self : home.resolve("target/alvlm.jar");
  }
}
