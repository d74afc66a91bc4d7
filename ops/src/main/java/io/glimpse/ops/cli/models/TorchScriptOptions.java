package io.glimpse.ops.cli.models;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelFormat;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a TorchScript {@code .pt} file does not say about itself, for the manifest {@code register}
 * writes for it: labels, input size and channels, normalization, and optional metrics.
 */
final class TorchScriptOptions {

  @Option(
      names = "--labels",
      paramLabel = "<file|list>",
      description =
          "For a .pt: the labels in output order, a file with one per line or a comma-separated"
              + " list.")
  private String labels;

  @Option(
      names = "--input-size",
      paramLabel = "<px>",
      description = "For a .pt: the input height and width the module takes.")
  private Integer inputSize;

  @Option(
      names = "--channels",
      paramLabel = "<n>",
      description = "For a .pt: input channels, 1 or 3 (default: 3).")
  private Integer channels;

  @Option(
      names = "--mean",
      paramLabel = "<m[,m,m]>",
      description =
          "For a .pt: per-channel mean of pixel/255 the module was trained with, e.g."
              + " 0.485,0.456,0.406 (one value applies to every channel).")
  private String mean;

  @Option(
      names = "--std",
      paramLabel = "<s[,s,s]>",
      description = "For a .pt: per-channel standard deviation, e.g. 0.229,0.224,0.225.")
  private String std;

  @Option(
      names = "--width",
      paramLabel = "<alpha>",
      description = "For a .pt: the MobileNet width multiplier it describes (default: 1).")
  private Float width;

  @Option(
      names = "--metric",
      paramLabel = "<name=value>",
      description =
          "For a .pt: a metric to record, e.g. --metric validation_accuracy=0.91 (repeatable;"
              + " promotion by the trainer compares validation_accuracy).")
  private Map<String, Double> metrics = new LinkedHashMap<>();

  /** Whether any of these options was given (they make sense only for a .pt file). */
  boolean anyGiven() {
    return labels != null
        || inputSize != null
        || channels != null
        || mean != null
        || std != null
        || width != null
        || !metrics.isEmpty();
  }

  /**
   * The manifest for a {@code .pt} file.
   *
   * @throws IllegalArgumentException naming the missing or invalid option
   * @throws IOException when the labels file cannot be read
   */
  ModelManifest manifest(String name, String version) throws IOException {
    if (labels == null || inputSize == null || mean == null || std == null) {
      throw new IllegalArgumentException(
          "a .pt file needs --labels, --input-size, --mean and --std (it does not say what it"
              + " was trained on), e.g. --labels labels.txt --input-size 224 --mean"
              + " 0.485,0.456,0.406 --std 0.229,0.224,0.225");
    }
    int c = channels == null ? 3 : channels;
    return ModelManifest.builder()
        .setName(name)
        .setVersion(version)
        .setFormat(ModelFormat.TORCHSCRIPT)
        .optWidthMultiplier(width == null ? 1f : width)
        .setInputShape(new InputShape(c, inputSize, inputSize))
        .setNormalization(
            new Normalization(perChannel("--mean", mean, c), perChannel("--std", std, c)))
        .setLabels(labelList())
        .optMetrics(metrics)
        .build();
  }

  private List<String> labelList() throws IOException {
    Path file = Path.of(labels);
    List<String> lines =
        Files.isRegularFile(file)
            ? Files.readAllLines(file, StandardCharsets.UTF_8)
            : Arrays.asList(labels.split(","));
    List<String> list = lines.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--labels " + labels + " holds no labels");
    }
    return list;
  }

  private static List<Float> perChannel(String option, String text, int channels) {
    List<Float> values = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        values.add(Float.parseFloat(part.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " takes numbers, got " + text, e);
      }
    }
    if (values.size() == 1) {
      return Collections.nCopies(channels, values.get(0));
    }
    if (values.size() != channels) {
      throw new IllegalArgumentException(
          option
              + " needs 1 or "
              + channels
              + " values for "
              + channels
              + " channels, got "
              + text);
    }
    return values;
  }
}
