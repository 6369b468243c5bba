package io.alvlm.soak;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@value SoakPlots#PROGRESS} as {@link SoakPlots} reads it ({@value SoakPlots#PROGRESS_HEADER}):
 * one row per sample of the loop's running totals, {@code time_s} on the clock of samples.csv, and an
 * empty {@code last_round_s} before the first round. Each row is flushed, so a run that dies still
 * leaves what it saw.
 */
final class ProgressCsv implements AutoCloseable {
  private final Writer csv;

  ProgressCsv(Path file) throws IOException {
    csv = Files.newBufferedWriter(file);
    csv.write(SoakPlots.PROGRESS_HEADER + "\n");
    csv.flush();
  }

  /**
   * @param seconds since the soak started
   * @param imagesEmbedded images embedded so far (all embedders)
   * @param rounds query rounds run so far
   * @param lastRoundSeconds the latest round's time; NaN before the first
   */
  synchronized void row(double seconds, long imagesEmbedded, long rounds, double lastRoundSeconds) throws IOException {
    csv.write(String.format(Locale.ROOT, "%.1f,%d,%d,%s%n", seconds, imagesEmbedded, rounds,
        Double.isNaN(lastRoundSeconds) ? "" : String.format(Locale.ROOT, "%.3f", lastRoundSeconds)));
    csv.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    csv.close();
  }
}
