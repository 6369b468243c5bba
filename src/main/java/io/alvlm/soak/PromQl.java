package io.alvlm.soak;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Good enough for dashboard queries: it drops strings,
 * label matchers, range and offset brackets, Grafana variables and grouping clauses, then keeps the
 * identifiers that are neither functions (followed by a parenthesis) nor keywords. Lets the dashboard
 * checks name the metrics a panel reads.
 */
public final class PromQl {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");
  private static final Pattern IDENT = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private PromQl() {}

  public static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")
        .replaceAll("\\$\\{?\\w+}?", " ")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }
}
