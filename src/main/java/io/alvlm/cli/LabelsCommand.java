package io.alvlm.cli;

import io.alvlm.annotate.ImageLookup;
import io.alvlm.labels.ImportRow;
import io.alvlm.labels.LabelExport;
import io.alvlm.labels.LabelFiles;
import io.alvlm.labels.LabelImport;
import io.alvlm.serde.AvroSerdes;
import io.alvlm.service.AlvlmService;
import io.alvlm.embedder.ImageFetcher;
import io.alvlm.config.ServiceConfig;
import io.alvlm.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alvlm labels export|import}: requests and labels to and from Label Studio or CSV. */
@Command(name = "labels", mixinStandardHelpOptions = true, description = "Export requests and labels, import labels.",
    subcommands = {LabelsCommand.Export.class, LabelsCommand.Import.class})
final class LabelsCommand {
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"label-studio: the open requests as Label Studio import tasks, with the model's guesses as predictions;",
          "csv: the labelled set (latest label per image)."})
  static final class Export implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it.")
    Path config;

    @Option(names = "--format", required = true, description = "label-studio or csv")
    String format;

    @Option(names = "--out", required = true, description = "File to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
      Map<String, Object> client = AlvlmService.clientConfig(c);
      Topics topics = new Topics(AvroSerdes.from(c.asMap()));
      String text;
      if (format.equals("csv")) {
        text = LabelExport.csv(client, topics);
      } else if (format.equals("label-studio")) {
        try (ImageLookup images = new ImageLookup(client, topics, ImageFetcher.from(c))) {
          text = LabelExport.labelStudio(LabelExport.openRequests(client, topics, System.currentTimeMillis()), images);
        }
      } else {
        System.err.println("--format " + format + ": want label-studio or csv");
        return 2;
      }
      Files.writeString(out, text);
      System.err.println("wrote " + out);
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"A Label Studio JSON export or a CSV file into Label records, in one transaction. Every row is checked",
          "first; with any problem nothing is written unless --skip-invalid. Rows already labelled alike are left out."})
  static final class Import implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it.")
    Path config;

    @Parameters(index = "0", description = "File to import.")
    Path file;

    @Option(names = "--format", required = true, description = "label-studio or csv")
    String format;

    @Option(names = "--skip-invalid", description = "Write the valid rows even when others are refused.")
    boolean skipInvalid;

    @Override
    public Integer call() throws Exception {
      ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
      List<ImportRow> rows = LabelFiles.read(file, format, Instant.now());
      LabelImport.Result r = LabelImport.run(AlvlmService.clientConfig(c), new Topics(AvroSerdes.from(c.asMap())), rows,
          c.classNames(), skipInvalid);
      r.problems().forEach(p -> System.err.println(file + ": " + p));
      if (!r.problems().isEmpty() && !skipInvalid) {
        System.err.printf("%d problem(s): nothing written (--skip-invalid writes the valid rows)%n", r.problems().size());
        return 1;
      }
      System.err.printf("%d label(s) written, %d unchanged, %d refused%n", r.written(), r.unchanged(), r.problems().size());
      return 0;
    }
  }
}
