package io.alvlm.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * {@code curves.png}: top-1 test accuracy (%) against labels used, one line per strategy (mean over
 * seeds, starting at zero-shot with no labels) with a ± one standard deviation band, and zero-shot
 * as a dashed line. Rendered headless with JFreeChart.
 */
public final class LearningCurves {
  public static final String FILE = "curves.png";
  public static final int WIDTH = 900;
  public static final int HEIGHT = 560;
  private static final Color[] PALETTE = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
      new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F)};

  private LearningCurves() {}

  public static Path write(Path dir, String title, List<String> strategies, List<RoundResult> rows) throws IOException {
    System.setProperty("java.awt.headless", "true");
    RoundResult zs = rows.stream().filter(RoundResult::zeroShot).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no zero-shot row"));
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (String s : strategies) {
      TreeMap<Integer, double[]> byLabels = new TreeMap<>();
      rows.stream().filter(r -> r.strategy().equals(s)).forEach(r -> byLabels.merge(r.labels(),
          new double[] {r.top1()}, (a, b) -> {
            double[] c = java.util.Arrays.copyOf(a, a.length + 1);
            c[a.length] = b[0];
            return c;
          }));
      if (byLabels.isEmpty()) continue;
      YIntervalSeries series = new YIntervalSeries(s);
      series.add(0, zs.top1() * 100, zs.top1() * 100, zs.top1() * 100);
      byLabels.forEach((labels, v) -> {
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        series.add(labels, mean * 100, (mean - std) * 100, (mean + std) * 100);
      });
      data.addSeries(series);
    }
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.18f);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color c = PALETTE[i % PALETTE.length];
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
      renderer.setSeriesStroke(i, new BasicStroke(2.2f));
    }
    NumberAxis x = new NumberAxis("labels used");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis("test top-1 accuracy (%)");
    y.setAutoRangeIncludesZero(false);
    // a flat curve (e.g. a model that does not learn) would otherwise get a degenerate axis
    y.setAutoRangeMinimumSize(5);
    y.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    ValueMarker zero = new ValueMarker(zs.top1() * 100, Color.DARK_GRAY, new BasicStroke(1.2f,
        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    zero.setLabel(String.format(java.util.Locale.ROOT, "zero-shot %.1f%%", zs.top1() * 100));
    zero.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
    zero.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    plot.addRangeMarker(zero);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    Path f = dir.resolve(FILE);
    ChartUtils.saveChartAsPNG(f.toFile(), chart, WIDTH, HEIGHT);
    return f;
  }
}
