package io.alvlm.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates every query of every panel of a Grafana dashboard against a Prometheus, as an instant query
 * through {@code /api/v1/query}, and says per panel whether it returned data. A panel whose query
 * returns an empty result (a metric nobody exports, a label nobody sets) or an error is a failure:
 * it is the panel people would open during an incident and find blank.
 *
 * <p>Grafana fills template variables before it sends a query; Prometheus knows none of them. They
 * are replaced as Grafana would for a panel showing the run on a narrow graph (see {@link #variables}).
 * A variable without a value fails its panel rather than being guessed.
 */
public final class DashboardCheck {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");

  private DashboardCheck() {}

  /** One query of a panel: how many series it returned, or why it could not run. */
  public record QueryResult(String refId, String expr, String sent, int series, String error) {
    public boolean hasData() {
      return error == null && series > 0;
    }
  }

  /** A panel and its queries' results; it has data when every query has. */
  public record PanelResult(String title, List<QueryResult> queries) {
    public boolean hasData() {
      return queries.stream().allMatch(QueryResult::hasData);
    }

    /** One line per query without data: the panel's title, the expr, and what came back. */
    public List<String> failures() {
      List<String> out = new ArrayList<>();
      for (QueryResult q : queries) {
        if (!q.hasData()) {
          out.add("panel \"" + title + "\" " + q.refId() + ": `" + q.expr() + "` "
              + (q.error() != null ? q.error() : "returned no data"));
        }
      }
      return out;
    }
  }

  /**
   * The values Grafana would give its variables for a panel over the last {@code range} of a run
   * scraped every {@code scrape}:
   * <ul>
   * <li>{@code $__interval} is the scrape interval (Grafana's step never goes below the datasource's
   * scrape interval, and a soak's graphs are narrow enough for it to stay there);
   * <li>{@code $__rate_interval} is Grafana's rule, max($__interval + scrape, 4 × scrape): enough
   * samples for {@code rate} even when one scrape is missed;
   * <li>{@code $__range} is the run so far, as the dashboard's time picker would be set;
   * <li>{@code $job} is {@link PrometheusProcess#JOB}, the job the scraping Prometheus uses.
   * </ul>
   */
  public static Map<String, String> variables(Duration scrape, Duration range) {
    Duration rate = max(scrape.plus(scrape), scrape.multipliedBy(4));
    Map<String, String> v = new LinkedHashMap<>();
    v.put("__interval", promDuration(scrape));
    v.put("__interval_ms", Long.toString(scrape.toMillis()));
    v.put("__rate_interval", promDuration(rate));
    v.put("__range", promDuration(range));
    v.put("__range_s", Long.toString(range.toSeconds()));
    v.put("__range_ms", Long.toString(range.toMillis()));
    v.put("job", PrometheusProcess.JOB);
    return v;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** A duration as PromQL writes it: whole seconds where it is one ({@code 20s}), else milliseconds. */
  static String promDuration(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a PromQL duration must be positive: " + d);
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /**
   * {@code expr} with each {@code $name}, {@code ${name}} ({@code ${name:format}}) and {@code [[name]]}
   * replaced by its value; an {@link IllegalArgumentException} naming a variable that has none.
   */
  public static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("template variable $" + name + " has no value (known: " + values.keySet() + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Every panel with queries, in the dashboard's order, each query run once against {@code prometheus}. */
  public static List<PanelResult> check(GrafanaDashboard dashboard, PrometheusApi prometheus, Map<String, String> values)
      throws IOException, InterruptedException {
    List<PanelResult> out = new ArrayList<>();
    for (JsonNode panel : dashboard.panels()) {
      List<QueryResult> results = new ArrayList<>();
      for (GrafanaDashboard.Query q : GrafanaDashboard.queries(panel)) {
        results.add(run(q, prometheus, values));
      }
      if (!results.isEmpty()) {
        out.add(new PanelResult(panel.path("title").asText(), results));
      }
    }
    return out;
  }

  /** The failure lines of all panels: empty when every panel has data. */
  public static List<String> failures(List<PanelResult> panels) {
    return panels.stream().flatMap(p -> p.failures().stream()).toList();
  }

  /** One line for a report: {@code dashboard: 18/18 panels with data}, naming the panels without. */
  public static String summary(List<PanelResult> panels) {
    List<String> empty = panels.stream().filter(p -> !p.hasData()).map(p -> "\"" + p.title() + "\"").toList();
    return "dashboard: " + (panels.size() - empty.size()) + "/" + panels.size() + " panels with data"
        + (empty.isEmpty() ? "" : "; no data: " + String.join(", ", empty));
  }

  private static QueryResult run(GrafanaDashboard.Query q, PrometheusApi prometheus, Map<String, String> values)
      throws IOException, InterruptedException {
    String sent;
    try {
      sent = substitute(q.expr(), values);
    } catch (IllegalArgumentException e) {
      return new QueryResult(q.refId(), q.expr(), null, 0, e.getMessage());
    }
    JsonNode r = prometheus.query(sent);
    if (!"success".equals(r.path("status").asText())) {
      return new QueryResult(q.refId(), q.expr(), sent, 0, "failed in Prometheus: " + r.path("error").asText(r.toString()));
    }
    JsonNode data = r.path("data");
    String type = data.path("resultType").asText();
    // a scalar or string always has its one value; vectors and matrices may be empty
    int series = type.equals("scalar") || type.equals("string") ? 1 : data.path("result").size();
    return new QueryResult(q.refId(), q.expr(), sent, series, null);
  }
}
