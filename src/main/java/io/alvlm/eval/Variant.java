package io.alvlm.eval;

import io.alvlm.selection.ColdStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an arm of an evaluation turns on beside its strategy, written {@code plain} or as features joined by
 * {@code +}: {@code dedup} (near-duplicate suppression), {@code propagate} (pseudo-labels for near-copies of
 * labelled images; implies dedup), {@code recheck} (suspect labels re-asked), {@code typical} or
 * {@code class-guided} (the first round's cold start). An arm is recorded as {@code STRATEGY} for plain and
 * {@code STRATEGY+FEATURES} otherwise, so every variant of a strategy runs on the same seeds side by side.
 */
public record Variant(boolean dedup, boolean propagate, boolean recheck, ColdStart coldStart) {
  public static final Variant PLAIN = new Variant(false, false, false, ColdStart.NONE);

  public Variant {
    if (propagate) dedup = true;
  }

  public static Variant parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("plain")) return PLAIN;
    boolean dedup = false, propagate = false, recheck = false;
    ColdStart cold = ColdStart.NONE;
    for (String f : s.split("\\+")) {
      switch (f) {
        case "dedup" -> dedup = true;
        case "propagate" -> propagate = true;
        case "recheck" -> recheck = true;
        case "typical" -> cold = ColdStart.TYPICAL;
        case "class-guided" -> cold = ColdStart.CLASS_GUIDED;
        default -> throw new IllegalArgumentException("--variants: '" + f + "' in '" + spec + "' is not plain or a "
            + "feature; features: dedup, propagate, recheck, typical, class-guided, joined by +");
      }
    }
    return new Variant(dedup, propagate, recheck, cold);
  }

  /** {@code ""} for plain, else {@code +} and the features in a fixed order. */
  public String suffix() {
    List<String> f = new ArrayList<>();
    if (dedup && !propagate) f.add("dedup");
    if (propagate) f.add("propagate");
    if (recheck) f.add("recheck");
    if (coldStart != ColdStart.NONE) f.add(coldStart.toString());
    return f.isEmpty() ? "" : "+" + String.join("+", f);
  }

  @Override
  public String toString() {
    return suffix().isEmpty() ? "plain" : suffix().substring(1);
  }
}
