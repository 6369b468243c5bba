package io.alvlm.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * {@code warm-start.md}: for every strategy replayed both ways, per round, the mean test top-1 and the
 * mean training seconds from zero and warm-started (over the same seeds), with the differences.
 */
public final class WarmStartReport {
  public static final String FILE = "warm-start.md";

  private WarmStartReport() {}

  /** Writes the report into {@code dir} and returns its text. */
  public static String write(Path dir, String title, int warmEpochs, List<RoundResult> rows) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Warm start vs from zero: ").append(title).append("\n\n");
    md.append(String.format(Locale.ROOT, "Mean over seeds; warm rounds train %d epochs from the previous round's "
        + "state, the first round of both starts from zero-shot.%n%n", warmEpochs));
    md.append("| strategy | round | labels | top-1 zero | top-1 warm | warm − zero (points) | train s zero | train s warm "
        + "| warm / zero time |\n|---|---|---|---|---|---|---|---|---|\n");
    TreeSet<String> strategies = new TreeSet<>();
    rows.stream().map(RoundResult::strategy).filter(s -> s.endsWith(EvaluationRun.WARM))
        .forEach(s -> strategies.add(s.substring(0, s.length() - EvaluationRun.WARM.length())));
    for (String s : strategies) {
      TreeSet<Integer> rounds = new TreeSet<>();
      rows.stream().filter(r -> r.strategy().equals(s)).forEach(r -> rounds.add(r.round()));
      double zeroTime = 0;
      double warmTime = 0;
      for (int round : rounds) {
        double z = mean(rows, s, round, RoundResult::top1);
        double w = mean(rows, s + EvaluationRun.WARM, round, RoundResult::top1);
        double zt = mean(rows, s, round, RoundResult::trainingSeconds);
        double wt = mean(rows, s + EvaluationRun.WARM, round, RoundResult::trainingSeconds);
        zeroTime += zt;
        warmTime += wt;
        int labels = rows.stream().filter(r -> r.strategy().equals(s) && r.round() == round).mapToInt(RoundResult::labels)
            .findFirst().orElse(0);
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %+.1f | %.3f | %.3f | %.2f |%n", s, round,
            labels, z * 100, w * 100, (w - z) * 100, zt, wt, wt / zt));
      }
      md.append(String.format(Locale.ROOT, "| %s | all | | | | | %.3f | %.3f | %.2f |%n", s, zeroTime, warmTime,
          warmTime / zeroTime));
    }
    Files.writeString(dir.resolve(FILE), md, StandardCharsets.UTF_8);
    return md.toString();
  }

  private static double mean(List<RoundResult> rows, String arm, int round, ToDoubleFunction<RoundResult> f) {
    return rows.stream().filter(r -> r.strategy().equals(arm) && r.round() == round).mapToDouble(f).average()
        .orElse(Double.NaN);
  }
}
