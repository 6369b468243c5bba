package io.alvlm.selection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds strategies by name: {@code cec}, {@code random}, {@code entropy}, {@code margin},
 * {@code least-confidence}, {@code coreset}, {@code badge}, {@code typical} (TypiClust, {@link TypicalStrategy}), and
 * {@code pcb:<name>} wrapping any of them; {@link #deduplicated} adds near-duplicate suppression to any.
 * CEC reads {@code top-n}, {@code k}, {@code lambda}, {@code inits}, {@code iterations},
 * {@code tolerance}, {@code sample-per-centre}, {@code sampled-inits}, {@code device} ({@code auto}, {@code cpu}, {@code gpu})
 * and {@code half} ({@code true}/{@code false}: fp16 products on a GPU); PCB reads {@code candidates} (proposals per budget slot, default 5). Unknown
 * names or parameters throw {@link IllegalArgumentException} listing the valid ones.
 */
public final class Strategies {
  public static final List<String> NAMES = List.of("cec", "random", "entropy", "margin", "least-confidence", "coreset", "badge",
      "typical");
  private static final Set<String> CEC_KEYS = Set.of("top-n", "k", "lambda", "inits", "iterations", "tolerance",
      "sample-per-centre", "sampled-inits", "device", "half");
  private static final String PCB = "pcb:";
  /** PCB's proposals per budget slot unless a parameter says otherwise. */
  private static final int PCB_CANDIDATES = 5;

  private Strategies() {}

  public static Strategy create(String name, Map<String, String> params) {
    Objects.requireNonNull(name, "name");
    Map<String, String> left = new HashMap<>(Objects.requireNonNull(params, "params"));
    Strategy s;
    if (name.startsWith(PCB)) {
      int candidates = intParam(left, "candidates", PCB_CANDIDATES, name);
      s = new ClassBalancedStrategy(build(name.substring(PCB.length()), left, name), candidates);
    } else {
      s = build(name, left, name);
    }
    return s;
  }

  /**
   * The strategy {@code name} with typed parameters (the service's path): CEC, plain or under
   * {@code pcb:}, takes {@code cec}; PCB proposes its default number of candidates.
   */
  public static Strategy create(String name, CecStrategy.Settings cec) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cec, "cec");
    if (name.startsWith(PCB)) {
      return new ClassBalancedStrategy(byName(name.substring(PCB.length()), cec, name), PCB_CANDIDATES);
    }
    return byName(name, cec, name);
  }

  /** {@code s} with near-duplicate suppression at {@code cosine} ({@link DeduplicatedStrategy}). */
  public static Strategy deduplicated(Strategy s, double cosine) {
    return new DeduplicatedStrategy(s, cosine);
  }

  private static Strategy byName(String name, CecStrategy.Settings cec, String full) {
    return switch (name) {
      case "cec" -> new CecStrategy(cec);
      case "random" -> new RandomStrategy();
      case "entropy" -> new UncertaintyStrategy(UncertaintyStrategy.Measure.ENTROPY);
      case "margin" -> new UncertaintyStrategy(UncertaintyStrategy.Measure.MARGIN);
      case "least-confidence" -> new UncertaintyStrategy(UncertaintyStrategy.Measure.LEAST_CONFIDENCE);
      case "coreset" -> new CoreSetStrategy();
      case "badge" -> new BadgeStrategy();
      case "typical" -> TypicalStrategy.defaults();
      default -> throw unknown(full);
    };
  }

  /** {@code name} when it names a strategy; else the error {@link #create} gives, without building anything. */
  public static String checkName(String name) {
    String base = name != null && name.startsWith(PCB) ? name.substring(PCB.length()) : name;
    if (!NAMES.contains(base)) {
      throw unknown(String.valueOf(name));
    }
    return name;
  }

  private static IllegalArgumentException unknown(String full) {
    return new IllegalArgumentException("unknown strategy '" + full + "'; valid: " + String.join(", ", NAMES)
        + ", or pcb:<one of them>");
  }

  private static Strategy build(String name, Map<String, String> p, String full) {
    Strategy s = byName(name, name.equals("cec") ? cecSettings(p, full) : CecStrategy.Settings.defaults(), full);
    if (!p.isEmpty()) {
      Set<String> valid = new TreeSet<>(name.equals("cec") ? CEC_KEYS : Set.of());
      if (full.startsWith(PCB)) valid.add("candidates");
      throw new IllegalArgumentException("strategy '" + full + "' does not take " + new TreeSet<>(p.keySet())
          + "; valid parameters: " + (valid.isEmpty() ? "none" : valid));
    }
    return s;
  }

  private static boolean boolParam(String v, String full) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return Boolean.parseBoolean(v);
    throw new IllegalArgumentException("strategy '" + full + "': half must be true or false, got '" + v + "'");
  }

  private static CecStrategy.Settings cecSettings(Map<String, String> p, String full) {
    CecStrategy.Settings d = CecStrategy.Settings.defaults();
    WeightedKMeans.Settings k = d.kmeans();
    return new CecStrategy.Settings(
        intParam(p, "top-n", d.topN(), full),
        intParam(p, "k", d.k(), full),
        doubleParam(p, "lambda", d.lambda(), full),
        new WeightedKMeans.Settings(
            intParam(p, "inits", k.inits(), full),
            intParam(p, "iterations", k.iterations(), full),
            doubleParam(p, "tolerance", k.tolerance(), full),
            intParam(p, "sample-per-centre", k.samplePerCentre(), full),
            intParam(p, "sampled-inits", k.sampledInits(), full),
            new Compute.Settings(
                p.containsKey("device") ? Compute.Target.parse(p.remove("device")) : k.compute().device(),
                p.containsKey("half") ? boolParam(p.remove("half"), full) : k.compute().half())));
  }

  private static int intParam(Map<String, String> p, String key, int dflt, String full) {
    String v = p.remove(key);
    if (v == null) return dflt;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strategy '" + full + "': " + key + "=" + v + " is not an integer", e);
    }
  }

  private static double doubleParam(Map<String, String> p, String key, double dflt, String full) {
    String v = p.remove(key);
    if (v == null) return dflt;
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strategy '" + full + "': " + key + "=" + v + " is not a number", e);
    }
  }
}
