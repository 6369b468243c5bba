package io.alvlm.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code labels.md}: what each arm spent and what it got for it, from {@code labels.csv}, means over seeds.
 * Per arm: accuracy per label requested, duplicates requested, pseudo-labels and their accuracy, label errors
 * caught (precision: the share of flagged labels that were wrong, over every audit; recall: the share of wrong
 * labels flagged within two rounds, over those whose two rounds are past), the label count where the stopping
 * rule fired, where the mean accuracy curve flattened (the first round after which no round gains more than
 * {@link #FLAT} of top-1), and the labels the arm needed to reach its strategy's plain arm's final accuracy.
 */
public final class LabelReport {
  public static final String FILE = "labels.md";
  /** A round that gains no more than this much top-1 (half a point) does not improve. */
  public static final double FLAT = 0.005;

  private LabelReport() {}

  /** One arm's means over seeds, by round: requested labels and top-1. */
  record Curve(double[] labels, double[] top1) {
    /** Labels where the curve first reaches {@code target}, interpolated between rounds; NaN when it never does. */
    double labelsToReach(double target) {
      for (int i = 0; i < top1.length; i++) {
        if (top1[i] >= target) {
          if (i == 0) return labels[0];
          double f = (target - top1[i - 1]) / (top1[i] - top1[i - 1]);
          return labels[i - 1] + f * (labels[i] - labels[i - 1]);
        }
      }
      return Double.NaN;
    }

    /** The labels at the first round after which no round gains more than {@link #FLAT}; NaN when the last round still did. */
    double flattened() {
      int last = top1.length - 1;
      while (last >= 1 && top1[last] - top1[last - 1] <= FLAT) last--;
      return last == top1.length - 1 ? Double.NaN : labels[last];
    }
  }

  public static Path write(Path dir, String title, List<String> arms, Map<String, ?> settings) throws IOException {
    List<LabelRound> rows = LabelTable.read(dir);
    StringBuilder md = new StringBuilder("# Labels spent: ").append(title).append("\n\n");
    md.append("Means over seeds. Settings: ");
    settings.forEach((k, v) -> md.append('`').append(k).append('=').append(v).append("` "));
    md.append("\n\n## Summary\n\n| arm | labels | top-1 | labels to reach plain's final top-1 | duplicates requested "
        + "| repeats of a labelled family | pseudo-labels (right) | wrong labels standing | errors flagged: precision "
        + "| recall within 2 rounds | rechecks: wrong, corrected | stop fired at labels (seeds) | curve flat at labels |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    Map<String, Curve> curves = new TreeMap<>();
    for (String arm : arms) {
      List<LabelRound> of = rows.stream().filter(r -> r.arm().equals(arm)).toList();
      if (!of.isEmpty()) curves.put(arm, curve(of));
    }
    for (String arm : arms) {
      List<LabelRound> of = rows.stream().filter(r -> r.arm().equals(arm)).toList();
      if (of.isEmpty()) continue;
      Curve c = curves.get(arm);
      int lastRound = of.stream().mapToInt(LabelRound::round).max().orElse(0);
      List<LabelRound> last = of.stream().filter(r -> r.round() == lastRound).toList();
      Curve plain = curves.get(plainOf(arm));
      double reach = plain == null ? Double.NaN : c.labelsToReach(plain.top1()[plain.top1().length - 1]);
      double flagged = sum(of, LabelRound::flagged), right = sum(of, LabelRound::flaggedWrong);
      double closed = sum(of, LabelRound::windowWrong), caught = sum(of, LabelRound::windowCaught);
      List<Double> fired = new ArrayList<>();
      for (long seed : of.stream().mapToLong(LabelRound::seed).distinct().toArray()) {
        of.stream().filter(r -> r.seed() == seed && r.fired()).mapToInt(LabelRound::requested).min()
            .ifPresent(l -> fired.add((double) l));
      }
      long seeds = of.stream().mapToLong(LabelRound::seed).distinct().count();
      md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %s | %.1f | %.1f | %.1f (%s) | %.1f | %s | %s | %.1f: %s, %.1f | %s | %s |%n",
          arm, mean(last, LabelRound::requested), 100 * mean(last, LabelRound::top1), num(reach),
          sum(of, LabelRound::duplicates) / seeds, sum(of, LabelRound::repeats) / seeds, mean(last, LabelRound::pseudo),
          pct(sum(last, LabelRound::pseudoRight), sum(last, LabelRound::pseudo)), mean(last, LabelRound::wrong),
          pct(right, flagged), pct(caught, closed), sum(of, LabelRound::rechecks) / seeds,
          pct(sum(of, LabelRound::recheckedWrong), sum(of, LabelRound::rechecks)), sum(of, LabelRound::corrections) / seeds,
          fired.isEmpty() ? "never" : String.format(Locale.ROOT, "%.0f (%d of %d)", fired.stream().mapToDouble(d -> d)
              .average().orElse(Double.NaN), fired.size(), seeds), num(c.flattened())));
    }
    md.append("\n## By round\n\n| arm | round | labels | top-1 | duplicates | turned down | pseudo | flagged (wrong) "
        + "| kappa | changed | forecast | annotator agreement (seed ").append(rows.isEmpty() ? "" : rows.get(0).seed())
        .append(") |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String arm : arms) {
      List<LabelRound> of = rows.stream().filter(r -> r.arm().equals(arm)).toList();
      TreeMap<Integer, List<LabelRound>> byRound = new TreeMap<>();
      of.forEach(r -> byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r));
      byRound.forEach((round, rs) -> md.append(String.format(Locale.ROOT,
          "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f (%.1f) | %.3f | %.3f | %.3f | %s |%n", arm, round,
          mean(rs, LabelRound::requested), 100 * mean(rs, LabelRound::top1), mean(rs, LabelRound::duplicates),
          mean(rs, LabelRound::turnedDown), mean(rs, LabelRound::pseudo), mean(rs, LabelRound::flagged),
          mean(rs, LabelRound::flaggedWrong), mean(rs, LabelRound::kappa), mean(rs, LabelRound::changed),
          mean(rs, LabelRound::forecast), rs.get(0).agreement())));
    }
    Path f = dir.resolve(FILE);
    Files.writeString(f, md.toString(), StandardCharsets.UTF_8);
    return f;
  }

  /** The plain arm of {@code arm}'s strategy: the name up to its first variant feature. */
  static String plainOf(String arm) {
    String warm = arm.endsWith(EvaluationRun.WARM) ? EvaluationRun.WARM : "";
    String base = warm.isEmpty() ? arm : arm.substring(0, arm.length() - warm.length());
    for (String f : List.of("+dedup", "+propagate", "+recheck", "+typical", "+class-guided")) {
      int i = base.indexOf(f);
      if (i >= 0) base = base.substring(0, i);
    }
    return base + warm;
  }

  static Curve curve(List<LabelRound> of) {
    TreeMap<Integer, List<LabelRound>> byRound = new TreeMap<>();
    of.forEach(r -> byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r));
    double[] labels = byRound.values().stream().mapToDouble(rs -> mean(rs, LabelRound::requested)).toArray();
    double[] top1 = byRound.values().stream().mapToDouble(rs -> mean(rs, LabelRound::top1)).toArray();
    return new Curve(labels, top1);
  }

  private static double mean(List<LabelRound> rs, ToDoubleFunction<LabelRound> f) {
    return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static double sum(List<LabelRound> rs, ToDoubleFunction<LabelRound> f) {
    return rs.stream().mapToDouble(f).sum();
  }

  private static String pct(double part, double whole) {
    return whole == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
  }
}
