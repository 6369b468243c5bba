package io.alvlm.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The soak's plots, one PNG line chart each, {@value #WIDTH}×{@value #HEIGHT}, time since the soak's
 * start in minutes on x: the resident set per role ({@value #RSS}), consumer lag per role
 * ({@value #LAG}), the ingest rate ({@value #INGEST}) and the query rounds' times ({@value #ROUNDS}).
 * A slope or a spike the last line's numbers only summarise is seen here. Rendered headless with
 * JFreeChart, which {@code alvlm evaluate}'s learning curves already use.
 *
 * <p>It reads two files of the soak's work directory, both comma-separated, no quoting, header first,
 * one row per sample, {@code time_s} in seconds since the soak started (same clock in both):
 * <ul>
 * <li>{@value #SAMPLES}: {@value #SAMPLES_HEADER}. One row per role per sample (every 10 s):
 * {@code role} is embedder-1, embedder-2, pool, trainer or workbench (any name is plotted);
 * {@code pid} the process sampled; {@code rss_mib} its resident set in MiB; {@code heap_after_gc_mib}
 * the heap after the last GC in MiB; {@code fds} open file descriptors; {@code threads} threads;
 * {@code lag} the consumer lag of the role's consumer group in records, empty for a role without one.
 * <li>{@value #PROGRESS}: {@value #PROGRESS_HEADER}. One row per sample: {@code images_embedded} the
 * images embedded so far over all embedders (a running total; where it falls, e.g. a counter of a
 * restarted process, that interval gives no ingest point); {@code rounds} the query rounds completed
 * so far; {@code last_round_s} the duration in seconds of the latest completed round, empty before
 * the first. The ingest rate is the rise of {@code images_embedded} over each interval divided by its
 * length (images/s, plotted at the interval's end); a round time is plotted at each row whose
 * {@code rounds} rose.
 * </ul>
 */
public final class SoakPlots {
  public static final String SAMPLES = "samples.csv";
  public static final String SAMPLES_HEADER = "time_s,role,pid,rss_mib,heap_after_gc_mib,fds,threads,lag";
  public static final String PROGRESS = "progress.csv";
  public static final String PROGRESS_HEADER = "time_s,images_embedded,rounds,last_round_s";
  public static final String RSS = "rss.png";
  public static final String LAG = "lag.png";
  public static final String INGEST = "ingest.png";
  public static final String ROUNDS = "rounds.png";
  public static final int WIDTH = 900;
  public static final int HEIGHT = 400;
  /** Series colours in order of a role's first row; distinct for colour-blind readers (Okabe–Ito). */
  static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
      new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};
  /** Below this span the resident-set axis is widened, so a flat line is not drawn as a steep one. */
  private static final double MIN_RSS_SPAN_MIB = 16;

  private SoakPlots() {}

  /** Reads {@value #SAMPLES} and {@value #PROGRESS} from {@code workDir}, writes the four PNGs into {@code out}. */
  public static List<Path> write(Path workDir, Path out) throws IOException {
    SoakCsv samples = SoakCsv.read(workDir.resolve(SAMPLES), SAMPLES_HEADER);
    SoakCsv progress = SoakCsv.read(workDir.resolve(PROGRESS), PROGRESS_HEADER);
    Files.createDirectories(out);
    return List.of(
        png(out.resolve(RSS), "Resident set per role", "resident set (MiB)", perRole(samples, "rss_mib"), false, false),
        png(out.resolve(LAG), "Consumer lag per role", "lag (records)", perRole(samples, "lag"), true, false),
        png(out.resolve(INGEST), "Ingest rate", "embedded (images/s)", ingest(progress), true, false),
        png(out.resolve(ROUNDS), "Query round times", "round time (s)", rounds(progress), true, true));
  }

  /** One series per role (in order of first appearance) of {@code column} against time; empty cells are skipped. */
  static XYSeriesCollection perRole(SoakCsv samples, String column) {
    Map<String, XYSeries> byRole = new LinkedHashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      String role = samples.text(i, "role");
      XYSeries s = byRole.computeIfAbsent(role, r -> new XYSeries(r, false));
      OptionalDouble v = samples.optionalNumber(i, column);
      if (v.isPresent()) s.add(minutes(samples, i), v.getAsDouble());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    byRole.values().stream().filter(s -> s.getItemCount() > 0).forEach(data::addSeries);
    return data;
  }

  /** Images per second over each interval between rows; none across a fall of the running total. */
  static XYSeriesCollection ingest(SoakCsv progress) {
    XYSeries s = new XYSeries("images/s", false);
    for (int i = 1; i < progress.size(); i++) {
      double dt = progress.number(i, "time_s") - progress.number(i - 1, "time_s");
      double dn = progress.number(i, "images_embedded") - progress.number(i - 1, "images_embedded");
      if (dt > 0 && dn >= 0) s.add(minutes(progress, i), dn / dt);
    }
    return new XYSeriesCollection(s);
  }

  /** The latest round's time at each row where the count of rounds rose. */
  static XYSeriesCollection rounds(SoakCsv progress) {
    XYSeries s = new XYSeries("round time", false);
    double seen = 0;
    for (int i = 0; i < progress.size(); i++) {
      double rounds = progress.number(i, "rounds");
      OptionalDouble last = progress.optionalNumber(i, "last_round_s");
      if (rounds > seen && last.isPresent()) s.add(minutes(progress, i), last.getAsDouble());
      seen = Math.max(seen, rounds);
    }
    return new XYSeriesCollection(s);
  }

  private static double minutes(SoakCsv csv, int row) {
    return csv.number(row, "time_s") / 60.0;
  }

  private static Path png(Path file, String title, String yLabel, XYSeriesCollection data, boolean fromZero, boolean points)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, points);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    NumberAxis x = new NumberAxis("time since start (min)");
    x.setAutoRangeIncludesZero(true);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(fromZero);
    if (!fromZero) y.setAutoRangeMinimumSize(MIN_RSS_SPAN_MIB);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    plot.setNoDataMessage("no samples");
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }
}
