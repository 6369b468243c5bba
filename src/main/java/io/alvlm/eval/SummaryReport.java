package io.alvlm.eval;

import io.alvlm.selection.Budget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code summary.md}: test accuracy (%) per strategy and cumulative budget, mean ± sample standard
 * deviation over seeds, laid out like the CEC paper's Table 1 (methods as rows, budgets as columns),
 * with the zero-shot row and, for one of the paper's datasets, the paper's CEC and zero-shot figures
 * beside ours; then mean per-class accuracy and mean seconds per round.
 */
public final class SummaryReport {
  public static final String FILE = "summary.md";

  private SummaryReport() {}

  /**
   * @param title what was run, e.g. "FashionMNIST, clip-tiny (random weights)"
   * @param paperDataset the paper's name of the dataset, when it is one of its six
   */
  public static Path write(Path dir, String title, List<String> strategies, Budget budget, List<RoundResult> rows,
      Optional<String> paperDataset, Map<String, ?> settings) throws IOException {
    RoundResult zs = rows.stream().filter(RoundResult::zeroShot).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no zero-shot row"));
    TreeMap<Integer, Integer> labelsByRound = new TreeMap<>();
    rows.stream().filter(r -> !r.zeroShot()).forEach(r -> labelsByRound.put(r.round(), r.labels()));
    List<Integer> rounds = new ArrayList<>(labelsByRound.keySet());
    long seeds = rows.stream().filter(r -> !r.zeroShot()).mapToLong(RoundResult::seed).distinct().count();
    StringBuilder md = new StringBuilder();
    md.append("# Active-learning evaluation: ").append(title).append("\n\n");
    md.append(String.format(Locale.ROOT, "Test accuracy (%%), mean ± std over %d seed%s; budget %s per round, each "
        + "round retrained from zero-shot on all labels so far%s.%n%n", seeds, seeds == 1 ? "" : "s", budget.spec(),
        strategies.stream().anyMatch(x -> x.endsWith(EvaluationRun.WARM))
            ? " (rows STRATEGY" + EvaluationRun.WARM + ": from the previous round's state after round 1, see "
                + WarmStartReport.FILE + ")" : ""));
    if (!settings.isEmpty()) {
      md.append("Settings: ");
      settings.forEach((k, v) -> md.append('`').append(k).append('=').append(v).append("` "));
      md.append("\n\n");
    }
    md.append("## Top-1 accuracy\n\n");
    table(md, strategies, budget, rounds, labelsByRound, rows, zs.top1(), RoundResult::top1, paperDataset);
    md.append("\n## Mean per-class accuracy\n\n");
    table(md, strategies, budget, rounds, labelsByRound, rows, zs.meanPerClass(), RoundResult::meanPerClass,
        Optional.empty());
    md.append("\n## Seconds per round (mean)\n\n| strategy | selection | training |\n|---|---|---|\n");
    for (String s : strategies) {
      List<RoundResult> of = rows.stream().filter(r -> r.strategy().equals(s)).toList();
      if (of.isEmpty()) continue;
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", s,
          of.stream().mapToDouble(RoundResult::selectionSeconds).average().orElse(Double.NaN),
          of.stream().mapToDouble(RoundResult::trainingSeconds).average().orElse(Double.NaN)));
    }
    Path f = dir.resolve(FILE);
    Files.writeString(f, md, StandardCharsets.UTF_8);
    return f;
  }

  private static void table(StringBuilder md, List<String> strategies, Budget budget, List<Integer> rounds,
      Map<Integer, Integer> labels, List<RoundResult> rows, double zeroShot, ToDoubleFunction<RoundResult> metric,
      Optional<String> paperDataset) {
    md.append("| method |");
    for (int r : rounds) md.append(' ').append(budget.label(r)).append(" (").append(labels.get(r)).append(") |");
    md.append("\n|---|").append("---|".repeat(rounds.size())).append('\n');
    md.append("| zero-shot |").append(String.format(Locale.ROOT, " %.1f |", zeroShot * 100).repeat(rounds.size()))
        .append('\n');
    for (String s : strategies) {
      md.append("| ").append(s).append(" |");
      for (int r : rounds) {
        double[] v = rows.stream().filter(x -> x.strategy().equals(s) && x.round() == r).mapToDouble(metric).toArray();
        md.append(' ').append(cell(v)).append(" |");
      }
      md.append('\n');
    }
    Optional<PaperNumbers.Figures> paper = paperDataset.flatMap(PaperNumbers::of);
    if (paper.isPresent()) {
      md.append("| *paper: zero-shot (ViT-B/16)* |")
          .append(String.format(Locale.ROOT, " *%.1f* |", paper.get().zeroShot()).repeat(rounds.size())).append('\n');
      md.append("| *paper: CEC (ViT-B/16)* |");
      for (int r : rounds) {
        Optional<Double> v = budget.percent(r).isPresent()
            ? paper.get().cec(budget.percent(r).getAsDouble()) : Optional.empty();
        md.append(v.map(x -> String.format(Locale.ROOT, " *%.1f* |", x)).orElse(" – |"));
      }
      md.append('\n');
      md.append("\nRows in italics are the CEC paper's figures for ").append(paperDataset.get())
          .append(" (CoOp on ViT-B/16 CLIP, docs/cec.md), shown where the cumulative budget matches 1, 2 or 5%.\n");
    }
  }

  /** {@code mean ± std} in percent (sample std over seeds; the mean alone for one seed; – for none). */
  static String cell(double[] v) {
    if (v.length == 0) return "–";
    double mean = 0;
    for (double x : v) mean += x / v.length;
    if (v.length == 1) return String.format(Locale.ROOT, "%.1f", mean * 100);
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return String.format(Locale.ROOT, "%.1f ± %.1f", mean * 100, Math.sqrt(ss / (v.length - 1)) * 100);
  }
}
