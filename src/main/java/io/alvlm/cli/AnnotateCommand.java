package io.alvlm.cli;

import io.alvlm.annotate.Workbench;
import io.alvlm.config.ServiceConfig;
import io.alvlm.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alvlm annotate}: the annotation workbench, until SIGTERM/SIGINT. */
@Command(name = "annotate", mixinStandardHelpOptions = true,
    description = {"Serve the annotation workbench: a web page where annotators (annotate.tokens) label the",
        "requests of alvlm.queries; answers are written to alvlm.labels in Kafka transactions."})
final class AnnotateCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it.")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "alvlm-annotate-shutdown"));
    try (Workbench w = Workbench.start(c)) {
      System.err.printf("alvlm annotate: workbench on http://%s:%d/ (brokers %s)%n", c.get(Settings.ANNOTATE_BIND), w.port(),
          c.get(Settings.BOOTSTRAP_SERVERS));
      stop.await();
    }
    return 0;
  }
}
