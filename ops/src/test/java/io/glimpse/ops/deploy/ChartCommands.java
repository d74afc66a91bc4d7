package io.glimpse.ops.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands a document gives for the chart, read as words: the {@code helm
 * install|upgrade} commands (their {@code -f} files and {@code --set} values), the objects {@code
 * kubectl} names ({@code deploy/glimpse-pipeline}), its label selectors ({@code -l}), and the
 * {@code glimpse} commands run in a pod; {@code -f} and {@code --set} given outside a helm command
 * are mentions, to be used with one; a helm install or upgrade of another release or chart is
 * unrecognized. Lines ending in a backslash continue on the next; a leading {@code #} (a YAML
 * comment) and Markdown backticks are ignored. ChartCommandsTest checks each against the rendered
 * chart and the CLI.
 */
final class ChartCommands {
  /** The chart's path as the commands give it, from the repository root. */
  static final String CHART = "deploy/helm/glimpse";

  private static final Pattern OBJECT =
      Pattern.compile(
          "(?<![\\w/.-])(deploy|deployment|statefulset|svc|service|cronjob|job)/([a-z0-9][a-z0-9-]*)(?![\\w/.-])");
  private static final Map<String, String> KINDS =
      Map.of(
          "deploy", "Deployment",
          "deployment", "Deployment",
          "statefulset", "StatefulSet",
          "svc", "Service",
          "service", "Service",
          "cronjob", "CronJob",
          "job", "Job");

  /**
   * One {@code helm install|upgrade glimpse deploy/helm/glimpse} command.
   *
   * @param valuesFiles its {@code -f} files, relative to the repository root
   * @param sets its {@code --set} values
   */
  record HelmCommand(List<String> valuesFiles, Map<String, Object> sets) {}

  /**
   * An object a command names.
   *
   * @param kind the object's kind
   * @param name its name
   * @param line the command
   */
  record ObjectRef(String kind, String name, String line) {}

  final List<HelmCommand> helm = new ArrayList<>();
  final List<ObjectRef> objects = new ArrayList<>();
  final List<Map<String, String>> selectors = new ArrayList<>();
  final List<List<String>> glimpse = new ArrayList<>();
  final List<HelmCommand> mentions = new ArrayList<>();
  final List<String> unrecognized = new ArrayList<>();

  /** Reads the commands of a Markdown text or a YAML file's comments. */
  static ChartCommands of(String text) {
    ChartCommands commands = new ChartCommands();
    StringBuilder pending = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.strip().replaceFirst("^#", "").replace('`', ' ').strip();
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      commands.read(pending.append(line).toString());
      pending.setLength(0);
    }
    return commands;
  }

  private void read(String line) {
    List<String> words = words(line);
    int helmAt = helmCommandAt(words);
    boolean kubectl = words.contains("kubectl");
    List<String> files = new ArrayList<>();
    Map<String, Object> sets = new LinkedHashMap<>();
    for (int i = Math.max(helmAt, 0); !kubectl && i + 1 < words.size(); i++) {
      if (words.get(i).equals("-f") || words.get(i).equals("--values")) {
        files.add(words.get(i + 1));
      } else if (words.get(i).equals("--set")) {
        String[] kv = words.get(i + 1).split("=", 2);
        sets.put(kv[0], typed(kv.length > 1 ? kv[1] : ""));
      }
    }
    if (helmAt >= 0) {
      helm.add(new HelmCommand(files, sets));
    } else if (!files.isEmpty() || !sets.isEmpty()) {
      mentions.add(new HelmCommand(files, sets));
    }
    if (words.contains("kubectl")) {
      Matcher m = OBJECT.matcher(line);
      while (m.find()) {
        objects.add(new ObjectRef(KINDS.get(m.group(1)), m.group(2), line));
      }
      int selector = words.indexOf("-l");
      if (selector >= 0 && selector + 1 < words.size()) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : words.get(selector + 1).split(",")) {
          String[] kv = pair.split("=", 2);
          labels.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        selectors.add(labels);
      }
    }
    int cli = words.indexOf("/opt/glimpse/bin/glimpse");
    if (cli >= 0) {
      glimpse.add(words.subList(cli + 1, words.size()));
    }
  }

  /**
   * Where {@code helm install|upgrade glimpse deploy/helm/glimpse} starts, or -1; an install or
   * upgrade of another release or chart is unrecognized ({@code helm install --wait} in prose is
   * not a command).
   */
  private int helmCommandAt(List<String> words) {
    for (int i = 0; i + 2 < words.size(); i++) {
      if (words.get(i).equals("helm")
          && List.of("install", "upgrade").contains(words.get(i + 1))
          && !words.get(i + 2).startsWith("-")) {
        if (i + 3 < words.size()
            && words.get(i + 2).equals(HelmChart.RELEASE)
            && words.get(i + 3).equals(CHART)) {
          return i;
        }
        unrecognized.add(String.join(" ", words));
      }
    }
    return -1;
  }

  /** A --set value as Helm types it: true, false and whole numbers are not text. */
  private static Object typed(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    return value.matches("-?\\d{1,9}") ? (Object) Integer.valueOf(value) : value;
  }

  /** Splits a command line into words, with '...' and "..." quoting. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
