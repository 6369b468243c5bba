package io.alvlm.eval;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Labels asked for per round: a count ({@code 30}), a fraction of the pool ({@code 1%}) or a number
 * per class ({@code 2/class}). After round {@code r} the learner has {@code r} times this many labels.
 */
public record Budget(Kind kind, double value, String spec) {
  /** How the budget is given. */
  public enum Kind { COUNT, FRACTION, PER_CLASS }

  public Budget {
    if (!(value > 0)) throw new IllegalArgumentException("budget must be positive: " + spec);
  }

  /** Parses {@code 30}, {@code 1%}, {@code 0.5%} or {@code 2/class}. */
  public static Budget parse(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("%")) return new Budget(Kind.FRACTION, Double.parseDouble(t.substring(0, t.length() - 1)) / 100, s);
      if (t.endsWith("/class")) {
        return new Budget(Kind.PER_CLASS, Integer.parseInt(t.substring(0, t.length() - "/class".length())), s);
      }
      return new Budget(Kind.COUNT, Integer.parseInt(t), s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("budget '" + s + "' is not a count (30), a pool fraction (1%) or per class "
          + "(2/class)", e);
    }
  }

  /** Images to label in one round (at least one). */
  public int perRound(int poolSize, int classes) {
    return switch (kind) {
      case COUNT -> (int) value;
      case FRACTION -> Math.max(1, (int) Math.round(value * poolSize));
      case PER_CLASS -> (int) value * classes;
    };
  }

  /** The cumulative budget after {@code round} rounds as written in reports: {@code 2%}, {@code 60}, {@code 4/class}. */
  public String label(int round) {
    return switch (kind) {
      case COUNT -> String.valueOf((int) value * round);
      case FRACTION -> trim(value * 100 * round) + "%";
      case PER_CLASS -> (int) value * round + "/class";
    };
  }

  /** The cumulative budget after {@code round} rounds in percent of the pool, when given as a fraction. */
  public OptionalDouble percent(int round) {
    return kind == Kind.FRACTION ? OptionalDouble.of(value * 100 * round) : OptionalDouble.empty();
  }

  private static String trim(double v) {
    double r = Math.round(v * 1000) / 1000.0;
    return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
  }
}
