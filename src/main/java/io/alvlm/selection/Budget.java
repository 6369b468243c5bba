package io.alvlm.selection;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How many images a round asks for, in the one grammar of the service ({@code query.budget}) and of
 * {@code alvlm evaluate}/{@code demo} ({@code --budget}): a count ({@code 30}), a share of the whole
 * pool ({@code 1%}, above 0 and at most 100) or a number per class ({@code 2/class}). A bare decimal
 * ({@code 0.5}) is refused rather than guessed: it could mean half an image or half the pool.
 *
 * @param spec the text it was parsed from, as reports and {@code run.json} record it
 */
public record Budget(Kind kind, double amount, String spec) {
  /** How the budget is given. */
  public enum Kind { COUNT, FRACTION, PER_CLASS }

  /** What {@link #parse} accepts, for messages that follow a key or option and its value. */
  public static final String GRAMMAR =
      "want a count of 1 or more (30), a share of the pool above 0% and at most 100% (1%), or a count per class (2/class)";

  private static final String PER_CLASS_SUFFIX = "/class";

  /** Parses {@code 30}, {@code 1%}, {@code 0.5%} or {@code 2/class}; the error says what is allowed, not the value. */
  public static Budget parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(GRAMMAR);
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith(PER_CLASS_SUFFIX)) {
        int n = Integer.parseInt(t.substring(0, t.length() - PER_CLASS_SUFFIX.length()).strip());
        return valid(n >= 1, new Budget(Kind.PER_CLASS, n, text.strip()));
      }
      if (t.endsWith("%")) {
        double p = Double.parseDouble(t.substring(0, t.length() - 1).strip());
        return valid(p > 0 && p <= 100, new Budget(Kind.FRACTION, p / 100, text.strip()));
      }
      int n = Integer.parseInt(t);
      return valid(n >= 1, new Budget(Kind.COUNT, n, text.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(GRAMMAR);
    }
  }

  private static Budget valid(boolean ok, Budget b) {
    if (!ok) {
      throw new IllegalArgumentException(GRAMMAR);
    }
    return b;
  }

  /**
   * Images one round asks for in a pool of {@code poolSize} images (every status: the paper's "1% of
   * the training set") and {@code classes} classes; a share of a non-empty pool asks for at least 1.
   */
  public int images(long poolSize, int classes) {
    return switch (kind) {
      case COUNT -> (int) amount;
      case PER_CLASS -> (int) amount * classes;
      case FRACTION -> poolSize == 0 ? 0 : (int) Math.max(1, Math.round(amount * poolSize));
    };
  }

  /** The cumulative budget after {@code round} rounds as reports write it: {@code 2%}, {@code 60}, {@code 4/class}. */
  public String label(int round) {
    return switch (kind) {
      case COUNT -> String.valueOf((int) amount * round);
      case FRACTION -> trim(amount * 100 * round) + "%";
      case PER_CLASS -> (int) amount * round + PER_CLASS_SUFFIX;
    };
  }

  /** The cumulative budget after {@code round} rounds in percent of the pool, when given as a share. */
  public OptionalDouble percent(int round) {
    return kind == Kind.FRACTION ? OptionalDouble.of(amount * 100 * round) : OptionalDouble.empty();
  }

  private static String trim(double v) {
    double r = Math.round(v * 1000) / 1000.0;
    return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
  }
}
