package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.ModelVersions;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A {@code model-versions} record as people and scripts read it, with its deployment state. */
final class VersionView {

  private VersionView() {}

  /** The record as JSON, with whether it is deployed, pinned, or what rollback returns to. */
  static Map<String, Object> json(ModelVersion v, ModelDeployment deployment) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", v.getModelName());
    json.put("version", v.getVersion());
    json.put("format", v.getFormat().name().toLowerCase(Locale.ROOT));
    json.put("architecture", v.getArchitecture());
    json.put("widthMultiplier", v.getWidthMultiplier());
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("channels", v.getInputShape().getChannels());
    shape.put("height", v.getInputShape().getHeight());
    shape.put("width", v.getInputShape().getWidth());
    json.put("inputShape", shape);
    Map<String, Object> normalization = new LinkedHashMap<>();
    normalization.put("mean", v.getNormalization().getMean());
    normalization.put("std", v.getNormalization().getStd());
    json.put("normalization", normalization);
    json.put("labelCount", v.getLabels().size());
    json.put("labels", v.getLabels());
    json.put("metrics", new TreeMap<>(v.getMetrics()));
    json.put("artifactUri", v.getArtifactUri());
    json.put("sha256", v.getSha256());
    json.put("createdTime", Printer.jsonTime(v.getCreatedTime()));
    json.put("parentVersion", v.getParentVersion());
    json.put("deployed", isDeployed(v, deployment));
    json.put("pinned", isDeployed(v, deployment) && deployment.getPinned());
    json.put("rollbackTarget", isRollbackTarget(v, deployment));
    return json;
  }

  /** "deployed", "deployed, pinned", "rollback target" or "". */
  static String state(ModelVersion v, ModelDeployment deployment) {
    if (isDeployed(v, deployment)) {
      return deployment.getPinned() ? "deployed, pinned" : "deployed";
    }
    return isRollbackTarget(v, deployment) ? "rollback target" : "";
  }

  /** E.g. {@code 1x64x64}. */
  static String shape(ModelVersion v) {
    var s = v.getInputShape();
    return s.getChannels() + "x" + s.getHeight() + "x" + s.getWidth();
  }

  /** The validation accuracy promotion compares, or "-". */
  static String validationAccuracy(ModelVersion v) {
    Double accuracy = v.getMetrics().get(ModelVersions.VALIDATION_ACCURACY);
    return accuracy == null ? "-" : String.format(Locale.ROOT, "%.4f", accuracy);
  }

  /** Every metric, e.g. {@code test_accuracy 0.9223, validation_accuracy 0.9301}. */
  static String metrics(ModelVersion v) {
    if (v.getMetrics().isEmpty()) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    new TreeMap<>(v.getMetrics())
        .forEach(
            (k, value) ->
                out.append(out.length() == 0 ? "" : ", ")
                    .append(k)
                    .append(' ')
                    .append(number(value)));
    return out.toString();
  }

  /** Whole numbers (epochs) without decimals, others to four. */
  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  /** The labels' count and the first few. */
  static String labels(List<String> labels) {
    int shown = Math.min(labels.size(), 5);
    String first = String.join(", ", labels.subList(0, shown));
    return labels.size() + " (" + first + (labels.size() > shown ? ", ..." : "") + ")";
  }

  static boolean isDeployed(ModelVersion v, ModelDeployment deployment) {
    return deployment != null
        && deployment.getModelName().equals(v.getModelName())
        && deployment.getVersion().equals(v.getVersion());
  }

  private static boolean isRollbackTarget(ModelVersion v, ModelDeployment deployment) {
    return deployment != null
        && deployment.getModelName().equals(v.getModelName())
        && !deployment.getHistory().isEmpty()
        && deployment.getHistory().get(0).getVersion().equals(v.getVersion());
  }
}
