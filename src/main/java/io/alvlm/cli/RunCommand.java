package io.alvlm.cli;

import io.alvlm.service.AlvlmService;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Setting;
import io.alvlm.config.Settings;
import io.alvlm.config.SettingsTable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm run}: one service instance against a Kafka cluster, until SIGTERM/SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the alvlm service (embedder, pool, trainer) against a Kafka cluster.")
final class RunCommand implements Callable<Integer> {
  /** Longest the shutdown hook waits for the service to close (Streams itself gives up after 30 s). */
  private static final long CLOSE_WAIT_SECONDS = 60;

  @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it.")
  Path config;

  @Option(names = "--role", description = "all, embedder, pool or trainer (overrides the config).")
  String role;

  @Option(names = "--list-settings", description = "Print every setting, its environment variable, default and allowed values, then exit.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    if (list) {
      System.out.print(SettingsTable.text());
      return 0;
    }
    Map<String, String> overrides = new HashMap<>();
    if (role != null) {
      overrides.put(Settings.ROLE.key(), role);
    }
    ServiceConfig c = ServiceConfig.load(config, System.getenv(), overrides);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM halts as soon as its shutdown hooks return: the hook waits for close() so that Streams
    // commits and writes its checkpoints (a restart then restores nothing from the changelogs).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "alvlm-shutdown"));
    try (AlvlmService service = AlvlmService.start(c)) {
      System.err.printf("alvlm: role %s, brokers %s, HTTP on port %d%n", Setting.name(c.get(Settings.ROLE)), c.get(Settings.BOOTSTRAP_SERVERS),
          service.httpPort());
      stop.await();
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
