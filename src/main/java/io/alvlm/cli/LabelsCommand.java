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
import io.alvlm.service.Reachable;
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
  static void checkFormat(String format) {
    if (!format.equals("csv") && !format.equals("label-studio")) {
      throw UsageError.of("--format", format, "want label-studio or csv");
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Export the open requests for Label Studio, or the labelled set as CSV.",
          "label-studio: the open requests as Label Studio import tasks, with the model's guesses as",
          "predictions; csv: the labelled set (latest label per image)."})
  static final class Export implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it (default: none, the settings' defaults).")
    Path config;

    @Option(names = "--format", required = true, description = "label-studio or csv")
    String format;

    @Option(names = "--out", required = true, description = "File to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      checkFormat(format);
      ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
      Map<String, Object> client = AlvlmService.clientConfig(c);
      AvroSerdes serdes = AvroSerdes.from(c.asMap());
      Reachable.check(c, serdes);
      Topics topics = new Topics(serdes);
      String text;
      if (format.equals("csv")) {
        text = LabelExport.csv(client, topics);
      } else {
        try (ImageLookup images = new ImageLookup(client, topics, ImageFetcher.from(c))) {
          text = LabelExport.labelStudio(LabelExport.openRequests(client, topics, System.currentTimeMillis()), images);
        }
      }
      Files.writeString(out, text);
      System.err.println("wrote " + out);
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Import a Label Studio JSON export or a CSV file as labels, in one transaction.",
          "Every row is checked first; with any problem nothing is written unless --skip-invalid.",
          "CSV: a header with id and class, optionally outcome, annotator and query_id; a row may leave",
          "out its trailing optional fields. Rows already labelled alike are left out."})
  static final class Import implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; ALVLM_* environment variables override it (default: none, the settings' defaults).")
    Path config;

    @Parameters(index = "0", description = "File to import.")
    Path file;

    @Option(names = "--format", required = true, description = "label-studio or csv")
    String format;

    @Option(names = "--skip-invalid", description = "Write the valid rows even when others are refused.")
    boolean skipInvalid;

    @Override
    public Integer call() throws Exception {
      checkFormat(format);
      ServiceConfig c = ServiceConfig.load(config, System.getenv(), Map.of());
      List<String> classes = c.classNames();
      Check.readableFile(file);
      // the file's own problems (its rows, its classes) are reported before any broker is asked about its images
      List<ImportRow> rows = LabelFiles.read(file, format, Instant.now());
      refuseUnlessSkipping(LabelImport.localProblems(rows, classes));
      AvroSerdes serdes = AvroSerdes.from(c.asMap());
      Reachable.check(c, serdes);
      LabelImport.Result r = LabelImport.run(AlvlmService.clientConfig(c), new Topics(serdes), rows, classes, skipInvalid);
      refuseUnlessSkipping(r.problems());
      r.problems().forEach(p -> System.err.println(file + ": " + p));
      System.err.printf("%d label(s) written, %d unchanged, %d refused%n", r.written(), r.unchanged(), r.problems().size());
      return 0;
    }

    /** With problems and no --skip-invalid: each on its line when there are several, then the one error line. */
    private void refuseUnlessSkipping(List<String> problems) {
      if (problems.isEmpty() || skipInvalid) {
        return;
      }
      if (problems.size() > 1) {
        problems.forEach(p -> System.err.println(file + ": " + p));
      }
      throw new IllegalArgumentException(file + ": " + (problems.size() == 1 ? problems.get(0)
          : problems.size() + " problems (above)") + "; nothing written (--skip-invalid writes the valid rows)");
    }
  }
}
