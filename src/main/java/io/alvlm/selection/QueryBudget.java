package io.alvlm.selection;

/**
 * How many images a round asks for: a fixed count ({@code 20}), a fraction of the unlabelled pool
 * ({@code 1%} or {@code 0.01}), or a number per class ({@code 2/class}).
 */
public record QueryBudget(Kind kind, double amount) {
  public enum Kind { COUNT, FRACTION, PER_CLASS }

  public static QueryBudget parse(String text) {
    String t = text == null ? "" : text.trim();
    try {
      if (t.endsWith("/class")) {
        return valid(new QueryBudget(Kind.PER_CLASS, Integer.parseInt(t.substring(0, t.length() - 6).trim())), text);
      }
      if (t.endsWith("%")) {
        return valid(new QueryBudget(Kind.FRACTION, Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100.0), text);
      }
      if (t.contains(".")) {
        return valid(new QueryBudget(Kind.FRACTION, Double.parseDouble(t)), text);
      }
      return valid(new QueryBudget(Kind.COUNT, Integer.parseInt(t)), text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(bad(text));
    }
  }

  private static QueryBudget valid(QueryBudget b, String text) {
    if (b.amount < 0 || (b.kind == Kind.FRACTION && b.amount > 1)) {
      throw new IllegalArgumentException(bad(text));
    }
    return b;
  }

  private static String bad(String text) {
    return "query.budget=" + text + ": want a count (20), a fraction of the pool (1% or 0.01) or per class (2/class)";
  }

  /**
   * The number of images for a pool of {@code poolSize} images (every status: the paper's "1% of the
   * training set") and {@code classes} classes; a fraction of a non-empty pool asks for at least 1.
   */
  public int images(long poolSize, int classes) {
    return switch (kind) {
      case COUNT -> (int) amount;
      case PER_CLASS -> (int) amount * classes;
      case FRACTION -> poolSize == 0 ? 0 : (int) Math.max(1, Math.round(amount * poolSize));
    };
  }
}
