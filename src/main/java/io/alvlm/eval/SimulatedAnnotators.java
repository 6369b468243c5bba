package io.alvlm.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The annotators of an offline replay ({@code evaluate --label-noise}): {@code a1 … aN}, each answering
 * wrong with its own probability, a wrong answer drawn uniformly from the other classes. Every answer is a
 * function of the seed, the row, the annotator and how often the row was asked before, so a replay and its
 * continuation answer alike. New requests go to the annotators in turn.
 */
public final class SimulatedAnnotators {
  private final double[] noise;

  /** {@code noise[a]} is annotator {@code a}'s probability of a wrong answer, in [0, 1). */
  public SimulatedAnnotators(double[] noise) {
    if (noise.length == 0) throw new IllegalArgumentException("--label-noise: at least one annotator");
    for (double p : noise) {
      if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("--label-noise " + p + ": want a probability in [0, 1)");
    }
    this.noise = noise.clone();
  }

  /** Parses {@code P} (one annotator) or {@code P1,P2,...} (one per annotator). */
  public static SimulatedAnnotators parse(String spec) {
    String[] parts = spec.split(",");
    double[] p = new double[parts.length];
    for (int i = 0; i < p.length; i++) {
      try {
        p[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--label-noise " + spec + ": '" + parts[i] + "' is not a probability", e);
      }
    }
    return new SimulatedAnnotators(p);
  }

  public int count() {
    return noise.length;
  }

  public double noise(int annotator) {
    return noise[annotator];
  }

  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (int a = 0; a < noise.length; a++) out.add(name(a));
    return out;
  }

  public static String name(int annotator) {
    return "a" + (annotator + 1);
  }

  public static int index(String name) {
    return Integer.parseInt(name.substring(1)) - 1;
  }

  /** Annotator {@code annotator}'s answer for {@code row} of true class {@code truth}, its {@code attempt}-th ask. */
  public int answer(long seed, int row, int truth, int classes, int annotator, int attempt) {
    SplittableRandom r = new SplittableRandom(((seed * 1_000_003L + row) * 31 + annotator) * 1_009L + attempt);
    if (classes < 2 || r.nextDouble() >= noise[annotator]) return truth;
    int wrong = r.nextInt(classes - 1);
    return wrong >= truth ? wrong + 1 : wrong;
  }

  public String spec() {
    List<String> s = new ArrayList<>();
    for (double p : noise) s.add(String.valueOf(p));
    return String.join(",", s);
  }
}
