package io.glimpse.ops.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the chart's README.md from its values.yaml, helm-docs style: README.intro.md, then one
 * table row per key whose line is preceded by a {@code # -- description} comment (continued by the
 * {@code #} lines below it), with the key's type and default as values.yaml gives them.
 * ChartReadmeTest fails when README.md differs from what this produces.
 */
final class ChartReadme {
  /** The system property that makes ChartReadmeTest write README.md instead of comparing it. */
  static final String WRITE_PROPERTY = "glimpse.chart.readme.write";

  /** The command that regenerates README.md. */
  static final String REGENERATE =
      "mvn -B -o -q -pl ops test -Dtest=ChartReadmeTest -D" + WRITE_PROPERTY + "=true";

  private static final Pattern DOC = Pattern.compile("^(\\s*)# -- (.*)$");
  private static final Pattern CONTINUED = Pattern.compile("^\\s*#(?: (.*))?$");
  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_]+):(.*)$");

  /**
   * One documented value.
   *
   * @param key its dotted path
   * @param description the {@code # --} comment's text
   */
  record Documented(String key, String description) {}

  private final Path chart;

  ChartReadme(Path chart) {
    this.chart = chart;
  }

  /** The documented keys of values.yaml, in file order. */
  List<Documented> documented() throws IOException {
    List<Documented> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    StringBuilder pending = null;
    for (String line : Files.readAllLines(chart.resolve("values.yaml"))) {
      Matcher doc = DOC.matcher(line);
      Matcher continued = CONTINUED.matcher(line);
      Matcher key = KEY.matcher(line);
      if (doc.matches()) {
        pending = new StringBuilder(doc.group(2).trim());
      } else if (pending != null && continued.matches()) {
        pending.append(' ').append(continued.group(1) == null ? "" : continued.group(1).trim());
      } else if (key.matches()) {
        int indent = key.group(1).length();
        while (!indents.isEmpty() && indents.peek()[0] >= indent) {
          indents.pop();
          path.removeLast();
        }
        indents.push(new int[] {indent});
        path.addLast(key.group(2));
        if (pending != null) {
          rows.add(new Documented(String.join(".", path), pending.toString().trim()));
        }
        pending = null;
      } else {
        pending = null;
      }
    }
    return rows;
  }

  /** README.md as it should read. */
  String render() throws IOException {
    Map<String, Object> values = DeployAssets.yaml(chart.resolve("values.yaml"));
    StringBuilder out = new StringBuilder(Files.readString(chart.resolve("README.intro.md")));
    out.append("\n## Values\n\n")
        .append(
            "<!-- Generated from values.yaml by ChartReadme (ops tests); do not edit. Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append("| Key | Type | Default | Description |\n")
        .append("|-----|------|---------|-------------|\n");
    for (Documented row : documented()) {
      Object value = Manifest.at(values, row.key().split("\\."));
      out.append("| `")
          .append(row.key())
          .append("` | ")
          .append(type(value))
          .append(" | `")
          .append(cell(json(value)))
          .append("` | ")
          .append(cell(row.description()))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String type(Object value) {
    if (value instanceof Map) {
      return "object";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof Number) {
      return value instanceof Double ? "float" : "int";
    }
    return "string";
  }

  private static String json(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
