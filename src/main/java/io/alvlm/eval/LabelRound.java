package io.alvlm.eval;

import java.util.List;
import java.util.Locale;

/**
 * What one round of one arm and seed spent and caught, beside its {@link RoundResult} ({@code labels.csv}).
 *
 * @param requested labels asked so far, rechecks included (what the run paid)
 * @param picks new images asked this round
 * @param rechecks labels asked again this round, {@code recheckedWrong} of them wrong when asked again
 * @param corrections rechecks whose answer replaced the label
 * @param duplicates picks this round at or above the near-copy threshold to another pick of the round or to
 *     an image labelled before
 * @param repeats picks this round of an injected family (an original and its copies) already labelled or asked
 * @param turnedDown picks the strategy proposed and dedup turned down
 * @param pseudo pseudo-labelled images so far, and {@code pseudoRight} of them with the true class
 * @param wrong labels standing wrong after the round; {@code wrongAnswers} wrong answers given so far
 * @param flagged labels the audit at the start of the round found suspect, {@code flaggedWrong} of them wrong
 * @param windowWrong wrong labels whose two-round window closed with this round's audit, {@code windowCaught}
 *     of them flagged within it
 * @param kappa Cohen's kappa of this round's model and the previous one on the stop set; {@code changed} the
 *     share of changed predictions; {@code forecast} the fitted change at the next round, {@code settling} how
 *     much less that is than this round's
 * @param fired whether the stopping rule ({@code stable}) has fired by this round
 * @param agreement each annotator's agreement estimate, {@code a1=0.93 a2=0.88}
 */
public record LabelRound(String arm, long seed, int round, int requested, int picks, int rechecks, int recheckedWrong, int corrections,
    int duplicates, int repeats, int turnedDown, int pseudo, int pseudoRight, int wrong, int wrongAnswers, int flagged,
    int flaggedWrong, int windowWrong, int windowCaught, double kappa, double changed, double forecast, double settling, boolean fired,
    double top1, String agreement) {
  public static final List<String> COLUMNS = List.of("arm", "seed", "round", "requested", "picks", "rechecks",
      "rechecked_wrong", "corrections", "duplicates", "repeats", "turned_down", "pseudo", "pseudo_right", "wrong", "wrong_answers",
      "flagged", "flagged_wrong", "window_wrong", "window_caught", "kappa", "changed", "forecast", "settling", "fired",
      "top1",
      "agreement");

  String line() {
    return String.join(",", arm, String.valueOf(seed), String.valueOf(round), String.valueOf(requested),
        String.valueOf(picks), String.valueOf(rechecks), String.valueOf(recheckedWrong), String.valueOf(corrections), String.valueOf(duplicates),
        String.valueOf(repeats), String.valueOf(turnedDown), String.valueOf(pseudo), String.valueOf(pseudoRight),
        String.valueOf(wrong), String.valueOf(wrongAnswers), String.valueOf(flagged), String.valueOf(flaggedWrong),
        String.valueOf(windowWrong), String.valueOf(windowCaught), fmt(kappa), fmt(changed), fmt(forecast),
        fmt(settling), String.valueOf(fired), fmt(top1), agreement);
  }

  static LabelRound parse(String line) {
    String[] c = line.split(",", -1);
    if (c.length != COLUMNS.size()) throw new IllegalArgumentException("labels.csv row has " + c.length + " cells: " + line);
    int[] i = new int[16];
    for (int k = 0; k < 16; k++) i[k] = Integer.parseInt(c[3 + k]);
    return new LabelRound(c[0], Long.parseLong(c[1]), Integer.parseInt(c[2]), i[0], i[1], i[2], i[3], i[4], i[5], i[6],
        i[7], i[8], i[9], i[10], i[11], i[12], i[13], i[14], i[15], Double.parseDouble(c[19]), Double.parseDouble(c[20]),
        Double.parseDouble(c[21]), Double.parseDouble(c[22]), Boolean.parseBoolean(c[23]), Double.parseDouble(c[24]), c[25]);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
