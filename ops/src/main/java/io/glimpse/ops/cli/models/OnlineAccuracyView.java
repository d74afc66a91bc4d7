package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.OnlineAccuracy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code models status} and {@code models compare} show a version's online accuracy. */
final class OnlineAccuracyView {
  private OnlineAccuracyView() {}

  static Map<String, Object> json(OnlineAccuracy a) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", a.modelName());
    json.put("version", a.version());
    json.put("labelled", a.labelled());
    json.put("correct", a.correct());
    json.put("accuracy", a.accuracy().orElse(null));
    json.put("lateLabels", a.lateLabels());
    json.put("unknownLabels", a.unknownLabels());
    Map<String, Object> recall = new LinkedHashMap<>();
    a.recall().keySet().forEach(label -> recall.put(label, a.recall(label).orElse(null)));
    json.put("recall", recall);
    json.put("confusion", a.confusion());
    json.put("updatedTime", Printer.jsonTime(a.updated()));
    return json;
  }

  /** A table of versions: labels joined, accuracy, late and unknown labels, the weakest class. */
  static String table(Collection<OnlineAccuracy> versions) {
    TextTable table =
        new TextTable(
            "MODEL",
            "VERSION",
            "LABELLED",
            "ACCURACY",
            "LATE",
            "UNKNOWN",
            "LOWEST RECALL",
            "AS OF");
    for (OnlineAccuracy a : versions) {
      table.row(
          a.modelName(),
          "v" + a.version(),
          Long.toString(a.labelled()),
          percent(a),
          Long.toString(a.lateLabels()),
          Long.toString(a.unknownLabels()),
          lowestRecall(a),
          a.updated() == null ? "-" : Printer.time(a.updated()));
    }
    return table.render();
  }

  /** One line: {@code v2 91.30 % of 4210 labels}. */
  static String line(OnlineAccuracy a) {
    return "v" + a.version() + " " + percent(a) + " of " + a.labelled() + " labels";
  }

  private static String percent(OnlineAccuracy a) {
    return a.accuracy().map(x -> String.format(Locale.ROOT, "%.2f %%", 100 * x)).orElse("-");
  }

  private static String lowestRecall(OnlineAccuracy a) {
    List<String> labels = new ArrayList<>(a.recall().keySet());
    return labels.stream()
        .filter(l -> a.recall(l).isPresent())
        .min((x, y) -> Double.compare(a.recall(x).orElseThrow(), a.recall(y).orElseThrow()))
        .map(l -> String.format(Locale.ROOT, "%s %.1f %%", l, 100 * a.recall(l).orElseThrow()))
        .orElse("-");
  }
}
