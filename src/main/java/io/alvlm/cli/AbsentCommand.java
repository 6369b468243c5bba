package io.alvlm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Stands in for a command whose classes this installation cannot load (the GPU machine's bundle carries
 * no Kafka, RocksDB or Scala): it keeps the name listed and, when run, says what is missing and exits 2.
 */
@Command(description = "Not available in this installation (its jars are missing).")
final class AbsentCommand implements Callable<Integer> {
  private final String name;
  private final String missing;

  @Unmatched List<String> ignored;

  AbsentCommand(String name, String missing) {
    this.name = name;
    this.missing = missing;
  }

  @Override
  public Integer call() {
    System.err.println("alvlm: '" + name + "' needs " + missing + ", which this installation lacks (the GPU bundle "
        + "carries no Kafka, RocksDB or Scala); run it from a full build (target/lib)");
    return 2;
  }
}
