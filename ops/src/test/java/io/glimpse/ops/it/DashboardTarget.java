package io.glimpse.ops.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL target of a Grafana dashboard panel: its expression, legend and query type, and the
 * expression as Grafana sends it to Prometheus once its variables are substituted.
 *
 * @param panel the panel's title
 * @param refId the target's id within the panel (A, B, ...)
 * @param expr the expression as the dashboard writes it, variables and all
 * @param legendFormat the series name, {@code {{label}}} standing for a label's value
 * @param instant whether Grafana runs an instant query (tables) rather than a range query
 * @param variables the dashboard's own template variables
 */
record DashboardTarget(
    String panel,
    String refId,
    String expr,
    String legendFormat,
    boolean instant,
    Set<String> variables) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

  /** Every target of every panel of {@code dashboard}, panels inside rows included. */
  static List<DashboardTarget> of(JsonNode dashboard) {
    Set<String> variables = new LinkedHashSet<>();
    dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
    List<DashboardTarget> targets = new ArrayList<>();
    addTargets(dashboard.path("panels"), Set.copyOf(variables), targets);
    return targets;
  }

  private static void addTargets(JsonNode panels, Set<String> variables, List<DashboardTarget> to) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        to.add(
            new DashboardTarget(
                panel.path("title").asText(),
                target.path("refId").asText(),
                target.path("expr").asText(),
                target.path("legendFormat").asText(""),
                target.path("instant").asBoolean(false),
                variables));
      }
      addTargets(panel.path("panels"), variables, to);
    }
  }

  /**
   * The expression with Grafana's interval variables ({@code $__rate_interval}, {@code
   * $__interval}) set to {@code rateInterval} and the dashboard's own variables to {@code .*} (all
   * values, as its "All" option selects).
   *
   * @throws IllegalArgumentException for a variable that is neither, which Grafana would not know
   */
  String promql(Duration rateInterval) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.equals("__rate_interval") || name.equals("__interval")) {
        value = rateInterval.toSeconds() + "s";
      } else if (variables.contains(name)) {
        value = ".*";
      } else {
        throw new IllegalArgumentException(
            this + " uses $" + name + ", which is no Grafana interval and no dashboard variable");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** The labels the legend names ({@code {{instance}}} → instance), in order. */
  Set<String> legendLabels() {
    Set<String> labels = new LinkedHashSet<>();
    Matcher m = LEGEND_LABEL.matcher(legendFormat);
    while (m.find()) {
      labels.add(m.group(1));
    }
    return labels;
  }

  @Override
  public String toString() {
    return "panel '" + panel + "' target " + refId + " (" + legendFormat + ")";
  }
}
