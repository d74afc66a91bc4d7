package io.glimpse.model.artifact;

import io.glimpse.model.mobilenet.MobileNetV1;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The validation behind {@link ModelManifest.Builder#build()}. */
final class ManifestRules {

  /** Names that become file or directory names: no separators, no leading dot. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ManifestRules() {}

  static void check(ModelManifest.Builder b) {
    requireId("name", b.name());
    requireId("version", b.version());
    require(b.format() != null, "format is required (djl or torchscript)");
    require(
        ModelManifest.MOBILENET_V1.equals(b.architecture()),
        "architecture must be \"" + ModelManifest.MOBILENET_V1 + "\", got " + b.architecture());
    require(b.inputShape() != null, "inputShape is required");
    require(b.normalization() != null, "normalization is required");
    require(
        b.normalization().channels() == b.inputShape().channels(),
        "normalization has "
            + b.normalization().channels()
            + " channel(s) but inputShape has "
            + b.inputShape().channels());
    checkLabels(b.labels());
    checkNetwork(b);
    checkMetrics(b.metrics());
    if (b.parentVersion() != null) {
      requireId("parentVersion", b.parentVersion());
    }
    if (b.trainingData() != null) {
      String data = b.trainingData();
      require(
          !data.isBlank() && data.length() <= 512 && data.lines().count() == 1,
          "trainingData must be one non-blank line of at most 512 characters, got \""
              + data
              + "\"");
    }
    checkFiles(b);
  }

  /** The manifest must describe a network MobileNetV1's own builder accepts. */
  private static void checkNetwork(ModelManifest.Builder b) {
    try {
      MobileNetV1.builder()
          .setNumClasses(b.labels().size())
          .optWidthMultiplier(b.widthMultiplier())
          .optInputChannels(b.inputShape().channels())
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("manifest describes no valid network: " + e.getMessage());
    }
  }

  private static void checkLabels(List<String> labels) {
    require(!labels.isEmpty(), "labels are required: one per model output");
    Set<String> seen = new HashSet<>();
    for (String label : labels) {
      require(
          !label.isBlank() && label.strip().equals(label) && label.lines().count() == 1,
          "label \"" + label + "\" must be one non-blank line without surrounding spaces");
      require(seen.add(label), "label \"" + label + "\" appears twice");
    }
  }

  private static void checkMetrics(Map<String, Double> metrics) {
    metrics.forEach(
        (key, value) ->
            require(
                !key.isBlank() && value != null && Double.isFinite(value),
                "metric \"" + key + "\" needs a name and a finite value, got " + value));
  }

  private static void checkFiles(ModelManifest.Builder b) {
    b.files()
        .forEach(
            (file, sha) -> {
              requireId("file name", file);
              require(
                  !ModelArtifact.MANIFEST_FILE.equals(file),
                  "the manifest cannot list its own checksum");
              require(
                  sha != null && SHA256.matcher(sha).matches(),
                  "sha256 of " + file + " must be 64 lower-case hex digits, got " + sha);
            });
    String params = b.parametersFile();
    if (params == null) {
      return;
    }
    require(b.files().containsKey(params), "parametersFile " + params + " is not in files");
    require(
        b.files().containsKey(ModelArtifact.LABELS_FILE),
        "files must list " + ModelArtifact.LABELS_FILE);
    Pattern expected =
        b.format() == ModelFormat.DJL
            ? Pattern.compile(Pattern.quote(b.name()) + "-\\d{4}\\.params")
            : Pattern.compile("[^/]+\\.pt");
    require(
        expected.matcher(params).matches(),
        "parametersFile of a "
            + b.format().jsonName()
            + " model must match "
            + expected
            + ", got "
            + params);
  }

  private static void requireId(String field, String value) {
    require(
        value != null && ID.matcher(value).matches(),
        field
            + " must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit,"
            + " got "
            + (value == null ? "nothing" : "\"" + value + "\""));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
